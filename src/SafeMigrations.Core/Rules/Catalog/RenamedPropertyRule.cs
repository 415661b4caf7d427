using System.Collections.Generic;
using SafeMigrations.Core.Analysis;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM2002: a property that looks renamed (or a column mapped to a new name): the next migration renames or drops and re-adds the column.</summary>
internal sealed class RenamedPropertyRule : ModelRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.RenamedProperty, "Keep the column name when renaming a property", Severity.Warning, RuleCategory.Compatibility,
        "Map the renamed property to the existing column with [Column(\"old_name\")] or HasColumnName(\"old_name\"): the code changes, the database does not. To really rename the column, use expand/contract over several releases.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeModel(ModelComparison comparison)
    {
        foreach (var entity in comparison.Matched)
        {
            foreach (var pair in entity.Renamed)
            {
                yield return Report(comparison,
                    $"{entity.Current.DisplayName}.{pair.Current.Name} looks like {pair.Snapshot.Name} renamed (same type): the next migration renames column {ColumnOf(pair.Snapshot)} of {TableOf(entity.Snapshot)} (or drops it and adds a new one), and instances of the previous release break. Keep the column: [Column(\"{pair.Snapshot.ColumnName ?? pair.Snapshot.Name}\")]; or, to rename it, let 'dotnet safemig migrations add <Name>' write the rename as expand/contract.",
                    pair.Current.Location ?? entity.Current.Location, entity.Snapshot.TableName);
            }

            foreach (var pair in entity.Kept)
            {
                if (pair.ColumnRenamed)
                {
                    yield return Report(comparison,
                        $"{entity.Current.DisplayName}.{pair.Current.Name} now maps to column {ColumnOf(pair.Current)} instead of {ColumnOf(pair.Snapshot)}: the next migration renames the column of {TableOf(entity.Snapshot)}, and instances of the previous release break. Keep the old column name; or let 'dotnet safemig migrations add <Name>' write the rename as expand/contract.",
                        pair.Current.Location ?? entity.Current.Location, entity.Snapshot.TableName);
                }
            }
        }
    }
}
