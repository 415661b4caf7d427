using System.Collections.Generic;
using SafeMigrations.Core.Analysis;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM2006: a nullable property made non-nullable: the next migration sets NOT NULL on an existing column.</summary>
internal sealed class PropertyMadeRequiredRule : ModelRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.PropertyMadeRequired, "Make properties required through a validated check constraint", Severity.Warning, RuleCategory.Locking,
        "Backfill the NULLs in batches, add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12+ uses the check and skips the scan) and drop the check.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeModel(ModelComparison comparison)
    {
        foreach (var entity in comparison.Matched)
        {
            foreach (var pair in entity.Kept)
            {
                if (pair.MadeRequired && !pair.TypeChanged)
                {
                    yield return Report(comparison,
                        $"{entity.Current.DisplayName}.{pair.Current.Name} is now required: the next migration sets NOT NULL on column {ColumnOf(pair.Snapshot)} of {TableOf(entity.Snapshot)}, scanning it under ACCESS EXCLUSIVE; it fails on existing NULLs, and the previous release may still write NULL. Backfill, then use a validated check constraint.",
                        pair.Current.RequiredLocation ?? pair.Current.Location ?? entity.Current.Location, entity.Snapshot.TableName);
                }
            }
        }
    }
}
