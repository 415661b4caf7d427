namespace RealHistories;

/// <summary>
/// Lints the generated SQL with squawk as EF runs it: files of commands run in the migration's transaction
/// with --assume-in-transaction, files of transaction-suppressed commands without it.
/// </summary>
internal static class SquawkPass
{
    public static IReadOnlyList<ToolFinding> Run(SquawkRunner squawk, SqlFolder sql)
    {
        var byName = sql.Files.ToDictionary(f => f.FileName, StringComparer.Ordinal);
        var violations = squawk.Lint(Paths(sql, inTransaction: true), assumeInTransaction: true)
            .Concat(squawk.Lint(Paths(sql, inTransaction: false), assumeInTransaction: false));
        return violations
            .Select(v => new ToolFinding(
                Tool.Squawk,
                byName.TryGetValue(v.FileName, out var file) ? file.MigrationId : v.FileName,
                v.Rule,
                v.Level,
                $"{v.FileName}:{v.Line}",
                v.Message))
            .ToList();
    }

    private static List<string> Paths(SqlFolder sql, bool inTransaction) =>
        sql.Files.Where(f => f.InTransaction == inTransaction).Select(f => Path.Combine(sql.Directory, f.FileName)).ToList();
}
