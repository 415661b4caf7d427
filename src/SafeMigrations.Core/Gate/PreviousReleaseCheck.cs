using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Gate;

/// <summary>
/// SM3005: after migration N, instances still running release N-1 (whose model is migration N-1's
/// target model) must keep working: every table and column they select is still there, and every row
/// they insert or update is still accepted. A migration marked as a contract step is exempt: it
/// removes what the previous release already stopped using.
/// </summary>
public static class PreviousReleaseCheck
{
    /// <param name="previous">The model of release N-1 (migration N-1's target model); null for the first migration.</param>
    /// <param name="current">The model after migration N (its target model).</param>
    /// <param name="reported">What the migration rules already reported on N: an error at the same operation already says the harm, so it is not repeated.</param>
    /// <param name="before">What the migrations before N established: a column an earlier migration already guards with a validated
    /// CHECK (c IS NOT NULL) refuses the previous release's NULLs since then (the not-null recipe), so SET NOT NULL breaks nothing more.</param>
    public static IReadOnlyList<Finding> Check(MigrationDefinition migration, ReleaseSchema? previous, ReleaseSchema current, AnalysisOptions options, IReadOnlyList<Finding> reported, SchemaHistory? before = null)
    {
        if (migration is null || previous is null || current is null || migration.IsContractStep || options.IsBeforeBaseline(migration.Id))
        {
            return Array.Empty<Finding>();
        }

        var severity = options.SeverityOf(GateRules.PreviousReleaseBroken);
        if (severity == Severity.None)
        {
            return Array.Empty<Finding>();
        }

        var changes = MigrationAnalyzer.Expand(migration.UpOperations).Select(o => o.Operation).ToList();
        var findings = new List<Finding>();
        void Report(SchemaChange? at, TableName table, string message)
        {
            var location = at?.Location ?? migration.Location;
            if (reported.Any(f => f.Severity == Severity.Error && f.Location is not null && f.Location == location))
            {
                return;
            }

            findings.Add(new Finding(RuleIds.PreviousReleaseBroken, severity, message + " Expand first, ship, and contract in a later migration marked [ContractMigration]."
                + " Next: remove this migration (dotnet ef migrations remove) and run dotnet safemig migrations add <Name>, which writes the expand and contract migrations.", migration.Id, location) { Table = table });
        }

        foreach (var table in previous.Tables)
        {
            var now = current.Find(table.Name);
            if (now is null)
            {
                if (changes.FirstOrDefault(c => c is DropTableChange drop && drop.Name == table.Name || c is RenameTableChange rename && rename.Name == table.Name) is { } gone)
                {
                    Report(gone, table.Name, $"The previous release reads and writes table {table.Name}, which migration {migration.Id} {(gone is DropTableChange ? "drops" : "renames")}: its queries fail until every instance runs the new release.");
                }

                continue;
            }

            foreach (var column in table.Columns)
            {
                var kept = now.Find(column.Name);
                if (kept is null)
                {
                    if (changes.FirstOrDefault(c => c is DropColumnChange drop && drop.TableName == table.Name && drop.Column == column.Name
                        || c is RenameColumnChange rename && rename.TableName == table.Name && rename.Column == column.Name) is { } gone)
                    {
                        Report(gone, table.Name, $"The previous release selects column \"{column.Name}\" of {table.Name} (EF lists every mapped column), which migration {migration.Id} {(gone is DropColumnChange ? "drops" : "renames")}: its queries fail until every instance runs the new release.");
                    }
                }
                else if (column.IsNullable && !column.IsGenerated && !kept.IsNullable && before?.HasValidatedNotNullCheck(table.Name, column.Name) != true
                    // This migration must make it NOT NULL: in a generated sequence the model is final from the first migration
                    // on, and the NOT NULL comes in a contract migration of its own.
                    && changes.FirstOrDefault(c => c is AlterColumnChange { Column.IsNullable: false } a && a.TableName == table.Name && a.Column.Name == column.Name) is { } alter)
                {
                    Report(alter, table.Name, $"The previous release maps column \"{column.Name}\" of {table.Name} as optional and writes NULL to it, which migration {migration.Id} makes NOT NULL (a default does not help: EF sends the NULL): those inserts and updates fail until every instance runs the new release.");
                }
            }

            foreach (var added in now.Columns.Where(c => table.Find(c.Name) is null && !c.IsNullable && !c.IsGenerated))
            {
                var add = changes.OfType<AddColumnChange>().FirstOrDefault(a => a.TableName == table.Name && a.Column.Name == added.Name);
                if (add is null || add.Column.HasAnyDefault || add.Column.Identity != IdentityKind.None || add.Column.ComputedColumnSql is not null)
                {
                    continue;
                }

                Report(add, table.Name, $"The previous release inserts rows into {table.Name} without column \"{added.Name}\", which migration {migration.Id} adds as NOT NULL without a default: those inserts fail until every instance runs the new release.");
            }
        }

        return findings;
    }
}
