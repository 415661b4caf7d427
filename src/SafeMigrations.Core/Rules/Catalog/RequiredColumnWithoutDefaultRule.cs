using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1004: AddColumn NOT NULL without a default (or with EF's silent CLR default) on an existing table.</summary>
public sealed class RequiredColumnWithoutDefaultRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.RequiredColumnWithoutDefault, "Add required columns with a default or in steps", Severity.Error, RuleCategory.Compatibility,
        "Add the column nullable (or with a deliberate constant default via HasDefaultValue), backfill in batches, then make it NOT NULL with SM1007's recipe.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is not AddColumnOperation { Column: { IsNullable: false } column } add
            || !context.IsExistingTable(add.TableName, operation.Index)
            || column.ComputedColumnSql is not null
            || column.Identity != IdentityKind.None)
        {
            yield break;
        }

        if (!column.HasAnyDefault)
        {
            yield return Report(context, add,
                $"Column \"{column.Name}\" is added to existing table {add.TableName} as NOT NULL without a default: the statement fails as soon as the table has rows, and instances of the previous release that insert without the column fail too. Add it nullable (or with a constant default), backfill, then set NOT NULL.");
        }
        else if (column.IsDefaultValueImplicit)
        {
            yield return Report(context, add,
                $"Column \"{column.Name}\" is added to existing table {add.TableName} as NOT NULL with default {Format(column.DefaultValue)} that EF filled in, not you: every existing row silently gets it. Make the default deliberate (HasDefaultValue), or add the column nullable and backfill real values.");
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "NULL",
        string s => "'" + s + "'",
        bool b => b ? "true" : "false",
        _ => System.Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "?",
    };
}
