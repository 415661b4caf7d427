using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>
/// SM1026: statements that take ACCESS EXCLUSIVE for a long time or destroy data in bulk: TRUNCATE,
/// VACUUM FULL, CLUSTER, REINDEX without CONCURRENTLY, SET TABLESPACE, SET LOGGED/UNLOGGED, DETACH
/// PARTITION without CONCURRENTLY, DROP DATABASE, DropSchema and RenameSchema.
/// </summary>
internal sealed class ExclusiveMaintenanceRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.ExclusiveMaintenance, "Keep maintenance and destructive statements out of migrations", Severity.Error, RuleCategory.Locking,
        "Use the CONCURRENTLY variants (REINDEX, DETACH PARTITION), pg_repack instead of VACUUM FULL/CLUSTER, and run maintenance as a separate job; never TRUNCATE or drop schemas in a migration without a justification.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        switch (operation.Operation)
        {
            case MaintenanceChange maintenance when !(maintenance.Target is { } target && !context.IsExistingTable(target, operation.Index)):
                var message = Explain(maintenance);
                if (message is not null)
                {
                    var finding = Report(context, maintenance, message, LockCatalog.LockFor(maintenance));
                    // Detaching takes its lock only for a moment (no scan); everything else rewrites, scans or deletes.
                    yield return maintenance.Kind == MaintenanceKind.DetachPartition ? finding with { Severity = Severity.Warning } : finding;
                }

                break;
            case SchemaNamespaceChange { Action: SchemaObjectAction.Drop } drop:
                yield return Report(context, drop, $"{drop.Describe()} deletes every object in the schema. Drop objects one by one in contract migrations, with justifications.");
                break;
            case SchemaNamespaceChange { Action: SchemaObjectAction.Rename } rename:
                yield return Report(context, rename, $"{rename.Describe()} breaks every query of the previous release that names the schema. Create the new schema and move objects with expand/contract.");
                break;
        }
    }

    private static string? Explain(MaintenanceChange maintenance)
    {
        var lockText = "it " + LockCatalog.LockFor(maintenance).SqlName() + " (" + LockCatalog.LockFor(maintenance).Effect() + ")";
        return maintenance.Kind switch
        {
            MaintenanceKind.Truncate => $"{maintenance.Describe()} deletes every row{(maintenance.Cascade ? " of this and every referencing table (CASCADE)" : string.Empty)} and takes {lockText}.",
            MaintenanceKind.VacuumFull => $"{maintenance.Describe()} rewrites the table while {lockText}. Use pg_repack, outside migrations.",
            MaintenanceKind.Cluster => $"{maintenance.Describe()} rewrites the table while {lockText}. Use pg_repack, outside migrations.",
            MaintenanceKind.Reindex when !maintenance.Concurrently => $"{maintenance.Describe()} rebuilds indexes while {lockText}. Use REINDEX … CONCURRENTLY (suppressTransaction: true), alone in its migration.",
            MaintenanceKind.SetTablespace => $"{maintenance.Describe()} copies the table while {lockText}.",
            MaintenanceKind.SetLogged => $"{maintenance.Describe()} rewrites the table while {lockText}.",
            MaintenanceKind.DetachPartition when !maintenance.Concurrently => $"{maintenance.Describe()} takes {lockText} on the parent. Use DETACH PARTITION … CONCURRENTLY.",
            MaintenanceKind.DropDatabase => $"{maintenance.Describe()} deletes a whole database.",
            _ => null,
        };
    }
}
