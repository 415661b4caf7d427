using System.Collections.Generic;
using SafeMigrations.Core.Analysis;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM2005: [MaxLength]/[StringLength]/HasMaxLength lowered or added: the next migration shortens the column in place.</summary>
public sealed class MaxLengthReducedRule : ModelRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.MaxLengthReduced, "Do not lower or add a maximum length in place", Severity.Warning, RuleCategory.Locking,
        "Keep the column's length; enforce the new limit in the application, or with CHECK (length(col) <= n) NOT VALID and a later VALIDATE.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeModel(ModelComparison comparison)
    {
        foreach (var entity in comparison.Matched)
        {
            foreach (var pair in entity.Kept)
            {
                if (pair.MaxLengthReduced && !pair.TypeChanged)
                {
                    var before = pair.Snapshot.MaxLength is { } length ? "from " + length + " " : "(it had none) ";
                    yield return Report(comparison,
                        $"The maximum length of {entity.Current.DisplayName}.{pair.Current.Name} goes {before}to {pair.Current.MaxLength}: the next migration shortens column {ColumnOf(pair.Snapshot)} of {TableOf(entity.Snapshot)}, which scans or rewrites the table under ACCESS EXCLUSIVE and fails on longer values. Use a NOT VALID check constraint instead.",
                        pair.Current.Location ?? entity.Current.Location, entity.Snapshot.TableName);
                }
            }
        }
    }
}
