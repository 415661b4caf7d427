using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.EntityFramework;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1007: nullable → NOT NULL on an existing table scans the table under ACCESS EXCLUSIVE.</summary>
internal sealed class SetNotNullRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.SetNotNull, "Make columns NOT NULL through a validated check constraint", Severity.Error, RuleCategory.Locking,
        "Add CHECK (col IS NOT NULL) NOT VALID, backfill, VALIDATE CONSTRAINT in a later migration (SHARE UPDATE EXCLUSIVE), then SET NOT NULL (no scan on PostgreSQL 12+) and drop the check.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is not AlterColumnChange { Column.IsNullable: false } alter
            || alter.Old?.IsNullable == false
            || !context.IsExistingTable(alter.TableName, operation.Index))
        {
            yield break;
        }

        // EF restates NOT NULL on every AlterColumn; only a change from nullable (or, in SQL, SET NOT NULL) counts.
        var isSqlSetNotNull = alter.FromSql is not null && alter.Old is null;
        if (alter.Old?.IsNullable != true && !isSqlSetNotNull)
        {
            yield break;
        }

        if (context.History.HasValidatedNotNullCheck(alter.TableName, alter.Column.Name))
        {
            yield break; // the recipe's last step: PostgreSQL uses the validated check and skips the scan
        }

        var column = "\"" + alter.Column.Name + "\"";
        if (NpgsqlMigrationSql.BackfillsNullsBeforeSetNotNull(alter))
        {
            var value = alter.Column.DefaultValueSql ?? ClrDefaults.Describe(alter.Column.DefaultValue);
            var whose = alter.Column.IsDefaultValueImplicit ? ", which EF filled in because the model configures no default" : string.Empty;
            yield return Report(context, alter,
                $"Making column {column} of existing table {alter.TableName} NOT NULL runs UPDATE … SET {column} = {value} WHERE {column} IS NULL first (the default{whose}): every NULL is overwritten in one statement that holds its row locks until the migration commits. SET NOT NULL then scans the whole table while it {Takes(LockCatalog.LockFor(alter))}. Backfill real values in batches in a migration of its own, add CHECK ({column} IS NOT NULL) NOT VALID, validate it in a later migration, then set NOT NULL.",
                LockCatalog.LockFor(alter));
            yield break;
        }

        yield return Report(context, alter,
            $"Setting column {column} of existing table {alter.TableName} to NOT NULL scans the whole table while it {Takes(LockCatalog.LockFor(alter))}, fails if any row is NULL, and instances of the previous release may still write NULL. Add CHECK ({column} IS NOT NULL) NOT VALID, validate it in a later migration, then set NOT NULL.",
            LockCatalog.LockFor(alter));
    }
}
