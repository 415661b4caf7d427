using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1022: PostgreSQL cannot remove enum values, and renaming one breaks the previous release.</summary>
public sealed class EnumValueChangeRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.EnumValueChange, "Only add enum values, alone in their migration", Severity.Warning, RuleCategory.Compatibility,
        "Add new values with ALTER TYPE … ADD VALUE in a migration of their own; to remove or rename a value create a new type, a new column, backfill and swap.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is not EnumTypeOperation { Action: SchemaObjectAction.Alter } enumType)
        {
            yield break;
        }

        if (enumType.RenamedValue is { } renamed)
        {
            yield return Report(context, enumType,
                $"Renaming value '{renamed.Old}' of enum {enumType.TypeName} to '{renamed.New}' breaks instances of the previous release, which still read and write '{renamed.Old}'. Add the new value, migrate rows, and stop using the old one.");
        }

        if (enumType.OldValues is { } oldValues && enumType.NewValues is { } newValues)
        {
            var removed = oldValues.Except(newValues).ToList();
            if (removed.Count > 0)
            {
                yield return Report(context, enumType,
                    $"Enum {enumType.TypeName} loses value(s) {string.Join(", ", removed.Select(v => "'" + v + "'"))}: PostgreSQL cannot drop enum values, so the type is recreated and every column using it rewritten, and the previous release may still write them. Create a new type and migrate columns with expand/contract.");
            }
        }
    }
}
