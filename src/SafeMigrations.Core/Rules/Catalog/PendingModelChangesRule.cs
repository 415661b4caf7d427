using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM2009: the entity classes differ from the snapshot: a migration is pending.</summary>
internal sealed class PendingModelChangesRule : ModelRule
{
    private const int Listed = 5;

    public static readonly RuleDescriptor Rule = new(
        RuleIds.PendingModelChanges, "Add a migration for model changes", Severity.Info, RuleCategory.Compatibility,
        "Run `dotnet ef migrations add <Name>` and review what it scaffolds: SafeMigrations lints the migration it produces.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeModel(ModelComparison comparison)
    {
        var changes = Describe(comparison).ToList();
        if (changes.Count > 0)
        {
            var listed = string.Join("; ", changes.Take(Listed)) + (changes.Count > Listed ? $"; and {changes.Count - Listed} more" : string.Empty);
            yield return Report(comparison,
                $"The model of {comparison.Current.ContextName} differs from its snapshot ({listed}): a migration is pending. Run 'dotnet ef migrations add' and review it.",
                comparison.Current.ContextLocation);
        }
    }

    private static IEnumerable<string> Describe(ModelComparison comparison)
    {
        foreach (var entity in comparison.Added)
        {
            yield return entity.DisplayName + " added";
        }

        foreach (var entity in comparison.Removed)
        {
            yield return entity.DisplayName + " removed";
        }

        foreach (var entity in comparison.Matched)
        {
            var name = entity.Current.DisplayName;
            if (entity.TableNameChanged)
            {
                yield return name + " table renamed";
            }

            foreach (var property in entity.Added)
            {
                yield return $"{name}.{property.Name} added";
            }

            foreach (var property in entity.Removed)
            {
                yield return $"{name}.{property.Name} removed";
            }

            foreach (var pair in entity.Renamed)
            {
                yield return $"{name}.{pair.Snapshot.Name} renamed to {pair.Current.Name}";
            }

            foreach (var pair in entity.Kept.Where(p => p.Differs))
            {
                yield return $"{name}.{pair.Current.Name} changed";
            }

            foreach (var index in entity.AddedIndexes)
            {
                yield return $"{name}: {index.Describe()} added";
            }
        }
    }
}
