using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1022: PostgreSQL cannot remove enum values, and renaming one breaks the previous release.</summary>
internal sealed class EnumValueChangeRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.EnumValueChange, "Only add enum values", Severity.Error, RuleCategory.Compatibility,
        "Only add values (ALTER TYPE … ADD VALUE). To retire a value, stop writing it, migrate rows to another value in batches, and keep the label; to really remove or rename one, create a new type and a new column, backfill and swap (expand/contract).");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is not EnumTypeChange { Action: SchemaObjectAction.Alter } enumType)
        {
            yield break;
        }

        if (enumType.RenamedValue is { } renamed)
        {
            yield return Report(context, enumType,
                $"Renaming value '{renamed.Old}' of enum {enumType.TypeName} to '{renamed.New}' breaks instances of the previous release the moment it commits: they still write '{renamed.Old}', which the type no longer accepts. Add the new value, migrate rows, and stop using the old one.");
        }

        if (enumType.OldValues is { } oldValues && enumType.NewValues is { } newValues)
        {
            var removed = oldValues.Except(newValues).ToList();
            if (removed.Count > 0)
            {
                yield return Report(context, enumType,
                    $"Enum {enumType.TypeName} loses value(s) {string.Join(", ", removed.Select(v => "'" + v + "'"))}: PostgreSQL cannot drop an enum value, and Npgsql's migration SQL generator refuses the change (\"Can't remove enum label\"), so the migration fails to apply. Keep the label and stop writing it, or create a new type and migrate the columns with expand/contract.");
            }
        }
    }
}
