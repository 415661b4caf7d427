using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1005: a volatile default or a stored computed column rewrites the whole table under ACCESS EXCLUSIVE.</summary>
internal sealed class RewritingColumnDefaultRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.RewritingColumnDefault, "Do not add columns whose value must be computed for every row", Severity.Error, RuleCategory.Locking,
        "Add the column without a default, then ALTER COLUMN … SET DEFAULT (applies to new rows only), then backfill existing rows in batches.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is not AddColumnChange add || !context.IsExistingTable(add.TableName, operation.Index))
        {
            yield break;
        }

        var column = add.Column;
        var volatileFunctions = FunctionVolatility.VolatileFunctions(column.DefaultValueSql).ToList();
        if (volatileFunctions.Count > 0)
        {
            yield return Report(context, add,
                $"Column \"{column.Name}\" on existing table {add.TableName} gets the volatile default {column.DefaultValueSql} ({string.Join(", ", volatileFunctions)}): PostgreSQL computes it for every row, rewriting the table and its indexes while it {Takes(LockCatalog.LockFor(add))}. Add the column without a default, SET DEFAULT afterwards, and backfill in batches.",
                LockCatalog.LockFor(add));
        }

        var stored = column.IsComputedStored ?? context.TargetVersion < 18;
        if (column.ComputedColumnSql is not null && stored)
        {
            yield return Report(context, add,
                $"Stored computed column \"{column.Name}\" on existing table {add.TableName} is computed for every row, rewriting the table while it {Takes(LockCatalog.LockFor(add))}. Add a plain column kept up to date by the application or a trigger, and backfill in batches.",
                LockCatalog.LockFor(add));
        }
    }
}
