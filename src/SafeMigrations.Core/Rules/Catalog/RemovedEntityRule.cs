using System.Collections.Generic;
using SafeMigrations.Core.Analysis;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM2007: an entity (or its DbSet) removed while the snapshot has it: the next migration drops its table.</summary>
internal sealed class RemovedEntityRule : ModelRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.RemovedEntity, "Stop using an entity before its table is dropped", Severity.Warning, RuleCategory.DataLoss,
        "Keep the entity mapped for one more release while the code stops using it, then drop the table in a contract migration with a justified suppression (drop the foreign keys first, check that it is empty or archived).");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeModel(ModelComparison comparison)
    {
        foreach (var entity in comparison.Removed)
        {
            if (!entity.IsTable)
            {
                continue;
            }

            var what = entity.BaseClrName is null
                ? $"drops table {TableOf(entity)} with all its rows"
                : $"drops the columns of {entity.DisplayName} from its hierarchy's table";
            yield return Report(comparison,
                $"Entity {entity.DisplayName} is no longer in {comparison.Current.ContextName}, but the snapshot has it: the next migration {what}, while instances of the previous release still use it. Keep it mapped until a later contract release.",
                comparison.Current.ContextLocation, entity.TableName);
        }
    }
}
