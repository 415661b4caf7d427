using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1017: a data change in the same migration (transaction) as a schema change holds the schema lock for the whole backfill.</summary>
internal sealed class DataChangeWithSchemaChangeRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.DataChangeWithSchemaChange, "Backfill in a migration of its own", Severity.Warning, RuleCategory.Locking,
        "Move UPDATE/DELETE/INSERT … SELECT into their own migration (or a job), in batches of a few thousand rows, outside the schema change's transaction.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeMigration(MigrationContext context)
    {
        if (!context.ChangesExistingSchema())
        {
            yield break;
        }

        foreach (var analyzed in context.Operations)
        {
            // Seed rows (InsertData, INSERT … VALUES) are small; and a new table has no rows to hold locks on.
            if (analyzed.Operation is DataChange { Kind: not DataChangeKind.Insert } change
                && context.IsExistingTable(change.TableName, analyzed.Index))
            {
                yield return Report(context, change,
                    $"{change.Describe()} runs in the same migration as schema changes: every lock the schema changes took is held until all rows are written, and one large statement bloats the table and delays replicas. Backfill in a separate migration, in batches.");
            }
        }
    }
}
