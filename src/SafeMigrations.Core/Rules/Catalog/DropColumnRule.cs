using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1011: DropColumn loses data and breaks the previous release, which still selects the column.</summary>
internal sealed class DropColumnRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.DropColumn, "Drop columns in a separate contract release", Severity.Error, RuleCategory.DataLoss,
        "Release N: stop mapping the property (the column stays). Release N+1: drop the column in a contract migration, with a justified suppression.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is DropColumnChange drop && context.IsExistingTable(drop.TableName, operation.Index))
        {
            yield return Report(context, drop,
                $"Dropping column \"{drop.Column}\" of {drop.TableName} deletes its data, and instances of the previous release still select it (EF lists columns explicitly). Stop mapping the property in one release, drop the column in the next, and suppress this with a justification there.");
        }
    }
}
