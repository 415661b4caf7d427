using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1027: NOT NULL → nullable is cheap, but readers of the previous release may not expect NULL.</summary>
internal sealed class DropNotNullRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.DropNotNull, "Check that readers handle NULL before dropping NOT NULL", Severity.Info, RuleCategory.Compatibility,
        "Deploy code that handles NULL first (nullable property), then drop the constraint.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is AlterColumnChange { Column.IsNullable: true } alter
            && (alter.Old?.IsNullable == false || (alter.FromSql is not null && alter.Old is null))
            && context.IsExistingTable(alter.TableName, operation.Index))
        {
            yield return Report(context, alter,
                $"Column \"{alter.Column.Name}\" of {alter.TableName} becomes nullable: the lock is brief, but code of the previous release that reads it as non-nullable fails on the first NULL. Deploy NULL-aware readers first.");
        }
    }
}
