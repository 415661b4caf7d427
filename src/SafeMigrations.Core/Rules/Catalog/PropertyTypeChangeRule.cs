using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM2004: a property's CLR type changed: the next migration changes the column type.</summary>
internal sealed class PropertyTypeChangeRule : ModelRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.PropertyTypeChange, "Change a property's type with expand/contract", Severity.Warning, RuleCategory.Locking,
        "Add a new property and column of the new type, write both, backfill in batches, switch reads, then stop mapping the old one and drop it in a later release.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeModel(ModelComparison comparison)
    {
        foreach (var entity in comparison.Matched)
        {
            foreach (var pair in entity.Kept)
            {
                if (pair.TypeChanged)
                {
                    yield return Report(comparison,
                        $"{entity.Current.DisplayName}.{pair.Current.Name} changed from {pair.Snapshot.ClrType} to {pair.Current.ClrType}: the next migration alters the type of column {ColumnOf(pair.Snapshot)} of {TableOf(entity.Snapshot)}, which usually rewrites the table under ACCESS EXCLUSIVE and breaks instances of the previous release. Use expand/contract.",
                        pair.Current.Location ?? entity.Current.Location, entity.Snapshot.TableName);
                }
                else if (pair.StoreTypeChanged && TypeChanges.Classify(pair.Snapshot.StoreType, pair.Current.StoreType) is TypeChange.Rewrite or TypeChange.RewriteUnlessUtc or TypeChange.Unknown)
                {
                    var effect = TypeChanges.DataEffect(pair.Snapshot.StoreType, pair.Current.StoreType) is { } data ? ", " + data + "," : string.Empty;
                    yield return Report(comparison,
                        $"The store type of {entity.Current.DisplayName}.{pair.Current.Name} goes from {pair.Snapshot.StoreType} to {pair.Current.StoreType}: the next migration alters column {ColumnOf(pair.Snapshot)} of {TableOf(entity.Snapshot)}, which rewrites the table{effect} under ACCESS EXCLUSIVE (SM1006). Keep the type, or use expand/contract: a new property and column of the new type.",
                        pair.Current.StoreTypeLocation ?? pair.Current.Location ?? entity.Current.Location, entity.Snapshot.TableName);
                }
            }
        }
    }
}
