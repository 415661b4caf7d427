using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1012: DropTable loses data and locks the tables that reference it.</summary>
internal sealed class DropTableRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.DropTable, "Drop tables in a separate contract release", Severity.Error, RuleCategory.DataLoss,
        "Release N: remove the entity and its DbSet. Release N+1: drop the foreign keys that reference it, check it is empty or archived, then drop it with a justified suppression.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is DropTableChange drop && context.IsExistingTable(drop.Name, operation.Index))
        {
            yield return Report(context, drop,
                $"Dropping table {drop.Name} deletes its data; it {Takes(LockCatalog.LockFor(drop))} on the table and on every table whose foreign keys reference it, and instances of the previous release still query it. Remove the entity in one release and drop the table in the next, with a justification.",
                LockCatalog.LockFor(drop));
        }
    }
}
