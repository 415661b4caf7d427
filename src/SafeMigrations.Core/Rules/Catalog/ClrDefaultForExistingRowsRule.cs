using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.EntityFramework;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>
/// SM1032: a NOT NULL column added to an existing table with the CLR default EF filled in. On PostgreSQL
/// 11+ a constant default is stored in the catalog (no rewrite, brief lock) and the previous release's
/// inserts get it, so nothing fails; but every existing row now holds a value nobody chose. A boolean
/// flag defaulting to false is what the developer means almost always: information only.
/// </summary>
internal sealed class ClrDefaultForExistingRowsRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.ClrDefaultForExistingRows, "Existing rows get the default EF filled in", Severity.Warning, RuleCategory.DataLoss,
        "If the value is right for existing rows, configure it (HasDefaultValue) so the migration records the choice; otherwise add the column nullable, backfill real values in batches, then make it NOT NULL with SM1007's recipe.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        // The not-null recipe's last step as EF scaffolds it: the check is validated, but EF still filled in a default,
        // which Npgsql sets on the column for good (a DEFAULT the model does not have) after an UPDATE of every NULL to it.
        if (operation.Operation is AlterColumnChange { Column.IsNullable: false, Old.IsNullable: true, Column.IsDefaultValueImplicit: true } alter
            && context.IsExistingTable(alter.TableName, operation.Index)
            && context.History.HasValidatedNotNullCheck(alter.TableName, alter.Column.Name))
        {
            yield return Report(context, alter,
                $"Column \"{alter.Column.Name}\" of existing table {alter.TableName} becomes NOT NULL with defaultValue {ClrDefaults.Describe(alter.Column.DefaultValue)}, which EF filled in because the model configures no default: Npgsql leaves DEFAULT {ClrDefaults.Describe(alter.Column.DefaultValue)} on the column, which the model does not have (dotnet safemig drift reports it). The validated check already keeps NULLs out: delete defaultValue from this AlterColumn.");
            yield break;
        }

        if (operation.Operation is not AddColumnChange add
            || !RequiredColumns.IsFilledForExistingRows(context, operation, add)
            || !add.Column.IsDefaultValueImplicit
            || RequiredColumns.ConstraintThatFails(context, operation.Index, add) is not null)
        {
            yield break;
        }

        var value = ClrDefaults.Describe(add.Column.DefaultValue);
        if (add.Column.DefaultValue is false)
        {
            yield return Report(context, add,
                $"Column \"{add.Column.Name}\" is added to existing table {add.TableName} as NOT NULL with default false, which EF filled in: existing rows get false. This is safe: PostgreSQL stores a constant default without rewriting the table, and inserts from the previous release get it too.") with
            {
                Severity = Severity.Info,
            };
            yield break;
        }

        yield return Report(context, add,
            $"Column \"{add.Column.Name}\" is added to existing table {add.TableName} as NOT NULL with default {value}, which EF filled in because the model configures no default: every existing row gets {value}. The change itself is safe (PostgreSQL stores a constant default without rewriting the table). If {value} is right for existing rows, configure it with HasDefaultValue; otherwise add the column nullable and backfill real values.");
    }
}
