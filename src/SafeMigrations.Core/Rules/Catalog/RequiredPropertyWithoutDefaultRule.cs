using System.Collections.Generic;
using SafeMigrations.Core.Analysis;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM2003: a new non-nullable property without a database default on an entity whose table already exists.</summary>
public sealed class RequiredPropertyWithoutDefaultRule : ModelRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.RequiredPropertyWithoutDefault, "Add new properties to existing entities as nullable or with a default", Severity.Warning, RuleCategory.Compatibility,
        "Make the property nullable (or give it a database default with HasDefaultValue/HasDefaultValueSql), backfill existing rows in batches, then make it required through a validated check constraint (SM1007's recipe).");

    public override RuleDescriptor Descriptor => Rule;

    public override IEnumerable<Finding> Analyze(ModelComparison comparison)
    {
        foreach (var entity in comparison.Matched)
        {
            foreach (var property in entity.Added)
            {
                if (!property.IsNullable && !property.HasDefault)
                {
                    yield return Report(comparison,
                        $"{entity.Current.DisplayName}.{property.Name} is new, required and has no database default: the next migration adds a NOT NULL column to {TableOf(entity.Snapshot)}, which EF fills with the CLR default ({property.ClrType}) for every existing row, and inserts from the previous release fail or store that default. Add it nullable or with HasDefaultValue, backfill, then require it.",
                        property.Location ?? entity.Current.Location, entity.Snapshot.TableName);
                }
            }
        }
    }
}
