namespace RealHistories;

/// <summary>
/// Which SafeMigrations rules cover each squawk rule that flags a real hazard. squawk rules not listed are
/// style or policy (prefer-bigint-over-int, prefer-text-field, prefer-robust-stmts, …) and are listed as unmapped.
/// </summary>
internal static class SquawkRuleMap
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Rules = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["require-concurrent-index-creation"] = ["SM1001", "SM1015"],
        ["require-concurrent-index-deletion"] = ["SM1002"],
        ["adding-required-field"] = ["SM1004", "SM1032"],
        ["adding-field-with-default"] = ["SM1005"],
        ["changing-column-type"] = ["SM1006", "SM1008", "SM1025"],
        ["adding-not-nullable-field"] = ["SM1007"],
        ["renaming-column"] = ["SM1009"],
        ["renaming-table"] = ["SM1010"],
        ["ban-drop-column"] = ["SM1011"],
        ["ban-drop-table"] = ["SM1012"],
        ["adding-foreign-key-constraint"] = ["SM1013"],
        // squawk also fires it on ADD PRIMARY KEY and UNIQUE, which cannot be NOT VALID: SM1015/SM1016 give their recipe.
        ["constraint-missing-not-valid"] = ["SM1013", "SM1014", "SM1015", "SM1016"],
        ["disallowed-unique-constraint"] = ["SM1015"],
        ["adding-serial-primary-key-field"] = ["SM1016"],
        ["adding-primary-key"] = ["SM1016"],
        ["ban-char-field"] = ["SM1024"],
        ["prefer-timestamptz"] = ["SM1024"],
        ["prefer-timestamp-tz"] = ["SM1024"], // squawk 2.x's name for it
        ["prefer-identity"] = ["SM1024"],
        // Beyond the brief's table: squawk rules with a SafeMigrations counterpart.
        ["ban-concurrent-index-creation-in-transaction"] = ["SM1003"],
        ["ban-drop-not-null"] = ["SM1027"],
        ["ban-create-domain-with-constraint"] = ["SM1028"],
        ["ban-alter-domain-with-add-constraint"] = ["SM1028"],
        ["transaction-nesting"] = ["SM1029"],
        ["ban-uncommitted-transaction"] = ["SM1029"],
        ["identifier-too-long"] = ["SM1023"],
        ["require-concurrent-reindex"] = ["SM1026"],
        ["require-concurrent-partition-detach"] = ["SM1026"],
        ["ban-truncate-cascade"] = ["SM1026"],
        ["ban-drop-database"] = ["SM1026"],
    };

    public static bool IsTimeoutRule(string rule) => SquawkRunner.TimeoutRules.Contains(rule);
}
