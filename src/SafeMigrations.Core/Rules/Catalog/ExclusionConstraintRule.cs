using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1030: EXCLUDE constraints are built and checked under ACCESS EXCLUSIVE and cannot be added NOT VALID.</summary>
internal sealed class ExclusionConstraintRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.ExclusionConstraint, "Do not add exclusion constraints to existing tables", Severity.Error, RuleCategory.Locking,
        "Create a new table with the constraint and copy the rows, or schedule a maintenance window.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is AddExclusionConstraintChange exclusion && context.IsExistingTable(exclusion.TableName, operation.Index))
        {
            yield return Report(context, exclusion,
                $"Exclusion constraint \"{exclusion.Name}\" on existing table {exclusion.TableName} builds its index and checks every row while it {Takes(LockCatalog.LockFor(exclusion))}; it cannot be added NOT VALID. Copy into a new table instead.",
                LockCatalog.LockFor(exclusion));
        }
    }
}
