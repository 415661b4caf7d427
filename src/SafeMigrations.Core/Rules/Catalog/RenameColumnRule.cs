using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1009: renaming a column breaks every running instance of the previous release at once.</summary>
internal sealed class RenameColumnRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.RenameColumn, "Do not rename columns in place", Severity.Error, RuleCategory.Compatibility,
        "Keep the column name and map the renamed property to it with [Column(\"old_name\")] or HasColumnName; or expand/contract (new column, sync, backfill, switch, drop).");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is RenameColumnChange rename && context.IsExistingTable(rename.TableName, operation.Index)
            && !OldNameLivesOn(context, operation.Index, rename))
        {
            yield return Report(context, rename,
                $"Renaming column \"{rename.Column}\" of {rename.TableName} to \"{rename.NewName}\" breaks instances of the previous release the moment it commits: their queries still name \"{rename.Column}\". Keep the column name and map the property to it (HasColumnName(\"{rename.Column}\")), or use expand/contract.");
        }
    }

    /// <summary>Whether another column of the table is renamed into the old name in the same migration (one transaction): a swap the previous release does not notice.</summary>
    private static bool OldNameLivesOn(MigrationContext context, int index, RenameColumnChange rename) =>
        context.Operations.Any(o => o.Index > index && o.Operation is RenameColumnChange other
            && other.TableName == rename.TableName && other.NewName == rename.Column);
}
