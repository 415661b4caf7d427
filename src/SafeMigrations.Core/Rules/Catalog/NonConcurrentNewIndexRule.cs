using System.Collections.Generic;
using SafeMigrations.Core.Analysis;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM2010: an index added to an entity whose table exists, not created concurrently: the next migration's CreateIndex blocks writes.</summary>
internal sealed class NonConcurrentNewIndexRule : ModelRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.NonConcurrentNewIndex, "Create new indexes on existing tables concurrently", Severity.Warning, RuleCategory.Locking,
        "Configure the index with .IsCreatedConcurrently() (fluent: an [Index] attribute cannot say it) and let the next migration hold it alone (SM1001, SM1003).");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeModel(ModelComparison comparison)
    {
        foreach (var entity in comparison.Matched)
        {
            if (!entity.Snapshot.IsTable)
            {
                continue;
            }

            foreach (var index in entity.AddedIndexes)
            {
                if (!index.IsConcurrent)
                {
                    var rule = index.IsUnique ? "SM1015" : "SM1001";
                    yield return Report(comparison,
                        $"The new {index.Describe()} of {entity.Current.DisplayName} is not created concurrently: the next migration builds it on existing table {TableOf(entity.Snapshot)} under SHARE, which blocks writes for the whole build ({rule}). Configure it fluently with .IsCreatedConcurrently(), alone in its migration; or let 'dotnet safemig migrations add <Name>' write the next migration, which builds it concurrently whatever the model says.",
                        index.Location ?? entity.Current.Location, entity.Snapshot.TableName);
                }
            }
        }
    }
}
