using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM2005: [MaxLength]/[StringLength]/HasMaxLength lowered or added: the next migration shortens the column in place.</summary>
internal sealed class MaxLengthReducedRule : ModelRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.MaxLengthReduced, "Do not lower or add a maximum length in place", Severity.Warning, RuleCategory.Locking,
        "Keep the column's length; enforce the new limit in the application, or with CHECK (char_length(col) <= n) NOT VALID and a later VALIDATE (SM1008's recipe).");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeModel(ModelComparison comparison)
    {
        foreach (var entity in comparison.Matched)
        {
            foreach (var pair in entity.Kept)
            {
                if (pair.MaxLengthReduced && !pair.TypeChanged && !pair.StoreTypeChanged)
                {
                    var before = pair.Snapshot.MaxLength is { } length ? "from " + length + " " : "(it had none) ";
                    yield return Report(comparison,
                        $"The maximum length of {entity.Current.DisplayName}.{pair.Current.Name} goes {before}to {pair.Current.MaxLength}: the next migration shortens column {ColumnOf(pair.Snapshot)} of {TableOf(entity.Snapshot)}, which rewrites the table under ACCESS EXCLUSIVE and fails on a longer value (SM1008). Keep the length and add a CHECK (char_length(…) <= {pair.Current.MaxLength}) constraint NOT VALID instead.",
                        pair.Current.MaxLengthLocation ?? pair.Current.Location ?? entity.Current.Location, entity.Snapshot.TableName);
                }
                else if (pair.StoreTypeChanged && TypeChanges.Classify(pair.Snapshot.StoreType, pair.Current.StoreType) == TypeChange.Narrowing)
                {
                    yield return Report(comparison,
                        $"The store type of {entity.Current.DisplayName}.{pair.Current.Name} goes from {pair.Snapshot.StoreType} to {pair.Current.StoreType}: the next migration shortens column {ColumnOf(pair.Snapshot)} of {TableOf(entity.Snapshot)}, which rewrites the table under ACCESS EXCLUSIVE and fails on a longer value (SM1008). Keep the type and add a CHECK constraint NOT VALID instead.",
                        pair.Current.StoreTypeLocation ?? pair.Current.Location ?? entity.Current.Location, entity.Snapshot.TableName);
                }
            }
        }
    }
}
