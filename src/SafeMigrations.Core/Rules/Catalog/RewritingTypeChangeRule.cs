using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1006: a store-type change that rewrites the table and its indexes under ACCESS EXCLUSIVE.</summary>
internal sealed class RewritingTypeChangeRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.RewritingTypeChange, "Change column types without rewriting the table", Severity.Error, RuleCategory.Locking,
        "Expand/contract: add a column of the new type, keep both in sync (trigger or application), backfill in batches, switch reads, stop writing the old one, drop it in a later release.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is not AlterColumnChange alter
            || !context.IsExistingTable(alter.TableName, operation.Index)
            || alter.IsKeyColumn == true)
        {
            yield break;
        }

        var change = ColumnTypeChanges.Of(alter);
        if (change == TypeChange.Rewrite)
        {
            var effect = TypeChanges.DataEffect(alter.Old?.StoreType, alter.Column.StoreType) is { } data ? ", " + data + "," : string.Empty;
            yield return Report(context, alter,
                $"Changing column \"{alter.Column.Name}\" of existing table {alter.TableName} from {ColumnTypeChanges.Describe(alter)} rewrites the table and all its indexes{effect} while it {Takes(LockCatalog.LockFor(alter))}. Use expand/contract: a new column, backfilled in batches.",
                LockCatalog.LockFor(alter));
        }
        else if (change == TypeChange.RewriteUnlessUtc)
        {
            yield return Report(context, alter,
                $"Changing column \"{alter.Column.Name}\" of existing table {alter.TableName} from {ColumnTypeChanges.Describe(alter)} needs no rewrite only when the migration's session time zone is UTC (PostgreSQL 12+). In any other time zone PostgreSQL rewrites the table and its indexes while it {Takes(LockCatalog.LockFor(alter))}, and reads every stored value as a time of that zone. Run the migration with TimeZone=UTC (Timezone=UTC in its connection string).",
                LockCatalog.LockFor(alter)) with
            {
                Severity = Severity.Warning,
            };
        }
        else if (change is TypeChange.None or TypeChange.BinaryCoercible && ColumnTypeChanges.CollationChanges(alter))
        {
            yield return Report(context, alter,
                $"Changing the collation of column \"{alter.Column.Name}\" of existing table {alter.TableName} to {alter.Column.Collation ?? "the default"} rebuilds every index on the column while it {Takes(LockCatalog.LockFor(alter))}, and changes how values compare: a unique index fails if two values become equal (case-insensitive collations). Create a new index with the collation concurrently and switch queries to it, or accept the rebuild on a small table.",
                LockCatalog.LockFor(alter)) with
            {
                Severity = Severity.Warning,
            };
        }
        else if (change == TypeChange.Unknown)
        {
            // Not shown to rewrite: the previous type is not stated, or one side is not a type we know.
            yield return Report(context, alter,
                $"Changing column \"{alter.Column.Name}\" of existing table {alter.TableName} from {ColumnTypeChanges.Describe(alter)} may rewrite the table and its indexes while it {Takes(LockCatalog.LockFor(alter))}: the change cannot be shown to be binary-coercible. Check it, or use expand/contract.",
                LockCatalog.LockFor(alter)) with
            {
                Severity = Severity.Warning,
            };
        }
    }
}
