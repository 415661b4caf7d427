using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;

namespace RealHistories;

/// <summary>
/// Judges the generated SQL with SafeMigrations.Core, as its SQL front ends do: each MigrationCommand is one
/// Sql operation (transaction-suppressed as EF runs it), the whole history in id order so recipes spread
/// over several migrations are recognised. Down is taken as present: only Up's SQL is judged.
/// </summary>
internal static class CoreSqlPass
{
    public static IReadOnlyList<ToolFinding> Run(IReadOnlyList<MigrationSql> migrations, SqlFolder sql, ICollection<string> problems)
    {
        var definitions = migrations.Where(m => m.Generated).Select(m => Definition(m, sql)).ToList();
        var analyzer = new MigrationAnalyzer();
        IReadOnlyList<Finding> findings;
        try
        {
            findings = analyzer.AnalyzeAll(definitions);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Judge one by one, as AnalyzeAll does, to name the migration that fails and keep the others.
            var history = new SchemaHistory();
            var collected = new List<Finding>();
            foreach (var definition in definitions.OrderBy(d => d.Id, StringComparer.Ordinal))
            {
                try
                {
                    collected.AddRange(analyzer.Analyze(definition, history));
                }
                catch (Exception inner) when (inner is not OutOfMemoryException)
                {
                    problems.Add($"Core threw on {definition.Id}: {inner.GetType().Name}: {inner.Message}");
                }
            }

            findings = collected;
        }

        return findings.Select(f => new ToolFinding(
                Tool.CoreSql,
                f.MigrationId,
                f.RuleId,
                f.Severity.ToString().ToLowerInvariant(),
                f.Location is { FilePath: { } file } location ? $"{file}:{location.Line}" : "(no location)",
                f.Message))
            .ToList();
    }

    private static MigrationDefinition Definition(MigrationSql migration, SqlFolder sql) =>
        new(migration.Id, migration.Commands.Select((command, index) => (SchemaChange)new RawSqlChange(command.Sql)
        {
            SuppressTransaction = command.TransactionSuppressed,
            Location = sql.LocationOf(migration.Id, index),
        }).ToList())
        {
            DownState = DownState.Present,
            DownOperations = [new OtherStatementChange("inverse", true)],
        };
}
