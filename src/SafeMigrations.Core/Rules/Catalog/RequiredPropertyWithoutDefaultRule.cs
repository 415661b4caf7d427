using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.EntityFramework;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM2003: a new non-nullable property without a database default on an entity whose table already exists.</summary>
internal sealed class RequiredPropertyWithoutDefaultRule : ModelRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.RequiredPropertyWithoutDefault, "Add new properties to existing entities as nullable or with a default", Severity.Warning, RuleCategory.Compatibility,
        "Make the property nullable (or give it a database default with HasDefaultValue/HasDefaultValueSql), backfill existing rows in batches, then make it required through a validated check constraint (SM1007's recipe).");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeModel(ModelComparison comparison)
    {
        foreach (var entity in comparison.Matched)
        {
            foreach (var property in entity.Added)
            {
                if (!property.IsNullable && !property.HasDefault)
                {
                    var value = ClrDefaults.DescribeForClrType(property.NonNullableClrType);
                    var fills = value is null ? $"with the default value of {property.ClrType}" : "with " + value;
                    var finding = Report(comparison,
                        $"{entity.Current.DisplayName}.{property.Name} is new, required and has no database default: the next migration adds a NOT NULL column to {TableOf(entity.Snapshot)} and EF fills every existing row {fills}. If that value is right for existing rows, configure it with HasDefaultValue; otherwise add the property nullable, backfill, then require it.",
                        property.Location ?? entity.Current.Location, entity.Snapshot.TableName);
                    yield return value == "false" ? finding with { Severity = Severity.Info } : finding;
                }
            }
        }
    }
}
