using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1010: renaming a table breaks every running instance of the previous release at once.</summary>
internal sealed class RenameTableRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.RenameTable, "Do not rename tables in place", Severity.Error, RuleCategory.Compatibility,
        "Keep the table name and map the entity to it with [Table(\"old_name\")] or ToTable; or rename and create a view with the old name for the rollout, dropped in the next release.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is RenameTableChange rename && context.IsExistingTable(rename.Name, operation.Index)
            && !OldNameLivesOn(context, operation.Index, rename.Name))
        {
            yield return Report(context, rename,
                $"Renaming table {rename.Name} to {rename.NewName} breaks instances of the previous release the moment it commits: their queries still name {rename.Name}. Map the entity to the existing name (ToTable), or keep a view with the old name during the rollout.");
        }
    }

    /// <summary>
    /// Whether the same migration (one transaction) gives the old name to something the previous release
    /// can keep using: a view over the renamed table, or another table renamed into its place (a swap).
    /// </summary>
    private static bool OldNameLivesOn(MigrationContext context, int index, TableName oldName) =>
        context.Operations.Any(o => o.Index > index && o.Operation switch
        {
            CreateViewChange view => view.Name == oldName,
            RenameTableChange other => other.NewName == oldName,
            _ => false,
        });
}
