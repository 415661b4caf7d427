using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.EntityFramework;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>
/// SM1004: a NOT NULL column added to an existing table that makes the migration fail on a populated
/// table: it has no default at all, or the CLR default EF filled in collides with a key, unique index
/// or foreign key the same migration adds on it. A benign EF-filled default is SM1032's.
/// </summary>
internal sealed class RequiredColumnWithoutDefaultRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.RequiredColumnWithoutDefault, "Do not add NOT NULL columns that fail on existing rows", Severity.Error, RuleCategory.Compatibility,
        "Add the column nullable, backfill real values in batches (for a foreign key: existing principal keys), then make it NOT NULL with SM1007's recipe and add the constraint NOT VALID.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is not AddColumnChange add || !RequiredColumns.IsFilledForExistingRows(context, operation, add))
        {
            yield break;
        }

        var column = add.Column;
        if (!column.HasAnyDefault)
        {
            yield return Report(context, add,
                $"Column \"{column.Name}\" is added to existing table {add.TableName} as NOT NULL without a default: PostgreSQL rejects it (\"column contains null values\") as soon as the table has a row. Add it nullable, backfill, then make it NOT NULL (SM1007's recipe).");
        }
        else if (column.IsDefaultValueImplicit && RequiredColumns.ConstraintThatFails(context, operation.Index, add) is { } constraint)
        {
            yield return Report(context, add,
                $"Column \"{column.Name}\" is added to existing table {add.TableName} as NOT NULL with default {ClrDefaults.Describe(column.DefaultValue)}, which EF filled in because the model configures no default: every existing row gets that value, so {constraint} in this migration fails once the table has rows. Add the column nullable, backfill real values, then add the constraint.");
        }
    }
}
