using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM2001: a mapped property the snapshot still has is gone from the entity: the next migration drops its column.</summary>
internal sealed class RemovedPropertyRule : ModelRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.RemovedProperty, "Stop using a property before its column is dropped", Severity.Warning, RuleCategory.DataLoss,
        "Keep the column mapped for one more release (as a shadow property: Property<T>(\"Name\") in OnModelCreating), ship code that no longer uses it, then drop it in a contract migration with a justified suppression.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeModel(ModelComparison comparison)
    {
        foreach (var entity in comparison.Matched)
        {
            foreach (var property in entity.Removed)
            {
                yield return Report(comparison,
                    $"{entity.Current.DisplayName}.{property.Name} is no longer mapped, but the snapshot has it: the next migration drops column {ColumnOf(property)} of {TableOf(entity.Snapshot)} with its data, while instances of the previous release still select it. Keep it mapped (a shadow property) until a later contract release drops it.",
                    entity.Current.Location, entity.Snapshot.TableName);
            }
        }
    }
}
