using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1020: Up changes the schema but Down is missing, empty or throws: there is no rollback path.</summary>
internal sealed class MissingDownRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.MissingDown, "Give every schema change a rollback", Severity.Warning, RuleCategory.Compatibility,
        "Write the inverse operations in Down, or declare the migration irreversible explicitly (a justified suppression of SM1020).");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeMigration(MigrationContext context)
    {
        var migration = context.Migration;
        if (!context.Operations.Any(o => o.Operation.IsSchemaChange))
        {
            yield break;
        }

        var state = migration.DownState == DownState.Present && migration.DownOperations.Count == 0 ? DownState.Empty : migration.DownState;
        var problem = state switch
        {
            DownState.Missing => "has no Down method",
            DownState.Empty => "has an empty Down method",
            DownState.Throws => "has a Down method that throws",
            _ => null,
        };
        if (problem is not null)
        {
            yield return context.CreateFinding(Rule,
                $"Migration {migration.Id} changes the schema but {problem}: it cannot be rolled back. Write the inverse operations, or declare it irreversible with a justified suppression.",
                operation: null);
        }
    }
}
