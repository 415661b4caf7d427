namespace RealHistories;

/// <summary>
/// One migration on which squawk fires a rule SafeMigrations has a counterpart for (<see cref="SquawkRuleMap"/>),
/// and whether the analyzers and Core's SQL path report one of those counterparts on the same migration.
/// </summary>
internal sealed record SquawkAgreement(
    string MigrationId,
    string SquawkRule,
    IReadOnlyList<string> Expected,
    bool ByAnalyzers,
    bool ByCoreSql,
    IReadOnlyList<string> AnalyzerRules,
    IReadOnlyList<string> CoreSqlRules)
{
    public static IReadOnlyList<SquawkAgreement> For(HistoryResult result)
    {
        var analyzers = RulesByMigration(result, Tool.Analyzers);
        var coreSql = RulesByMigration(result, Tool.CoreSql);
        return result.Of(Tool.Squawk)
            .Where(f => SquawkRuleMap.Rules.ContainsKey(f.Rule))
            .Select(f => (f.MigrationId, f.Rule))
            .Distinct()
            .OrderBy(p => p.MigrationId, StringComparer.Ordinal).ThenBy(p => p.Rule, StringComparer.Ordinal)
            .Select(p =>
            {
                var expected = SquawkRuleMap.Rules[p.Rule];
                var ours = analyzers.GetValueOrDefault(p.MigrationId) ?? [];
                var sql = coreSql.GetValueOrDefault(p.MigrationId) ?? [];
                return new SquawkAgreement(p.MigrationId, p.Rule, expected, expected.Any(ours.Contains), expected.Any(sql.Contains), Sorted(ours), Sorted(sql));
            })
            .ToList();
    }

    private static Dictionary<string, HashSet<string>> RulesByMigration(HistoryResult result, Tool tool) =>
        result.Of(tool).GroupBy(f => f.MigrationId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.Rule).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

    private static List<string> Sorted(IEnumerable<string> rules) => rules.Order(StringComparer.Ordinal).ToList();
}
