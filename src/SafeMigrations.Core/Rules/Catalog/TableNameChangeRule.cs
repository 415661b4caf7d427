using System.Collections.Generic;
using SafeMigrations.Core.Analysis;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM2008: an entity's table name changed ([Table], ToTable, or a class/DbSet rename under conventions).</summary>
internal sealed class TableNameChangeRule : ModelRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.TableNameChange, "Keep the table name when renaming an entity", Severity.Warning, RuleCategory.Compatibility,
        "Map the entity to its existing table with [Table(\"old_name\")] or ToTable(\"old_name\"). To really rename the table, expand/contract over several releases (or a view with the old name during the rollout).");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeModel(ModelComparison comparison)
    {
        foreach (var entity in comparison.Matched)
        {
            if (entity.TableNameChanged)
            {
                yield return Report(comparison,
                    $"{entity.Current.DisplayName} now maps to table \"{entity.Current.TableName}\" instead of {TableOf(entity.Snapshot)}: the next migration renames the table, and instances of the previous release break. Keep the table name: [Table(\"{entity.Snapshot.TableName}\")].",
                    entity.Current.Location, entity.Snapshot.TableName);
            }
        }
    }
}
