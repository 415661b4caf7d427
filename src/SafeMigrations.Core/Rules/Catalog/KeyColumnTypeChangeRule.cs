using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1025: a type change on a primary or foreign key column (int → bigint) rewrites every table involved.</summary>
internal sealed class KeyColumnTypeChangeRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.KeyColumnTypeChange, "Change key column types with expand/contract on every side", Severity.Error, RuleCategory.Locking,
        "Add new bigint columns on the key and every referencing table, keep them in sync, backfill, build a unique index concurrently, then swap keys in one short transaction (ADD CONSTRAINT … PRIMARY KEY USING INDEX).");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is not AlterColumnChange { IsKeyColumn: true } alter
            || !context.IsExistingTable(alter.TableName, operation.Index)
            || ColumnTypeChanges.Of(alter) is not (TypeChange.Rewrite or TypeChange.Narrowing or TypeChange.Unknown))
        {
            yield break;
        }

        var certainty = ColumnTypeChanges.Of(alter) == TypeChange.Unknown ? "may be" : "are";
        var finding = Report(context, alter,
            $"Key column \"{alter.Column.Name}\" of existing table {alter.TableName} changes from {ColumnTypeChanges.Describe(alter)}: the table, its indexes and every table whose foreign keys reference it {certainty} rewritten while each {Takes(LockCatalog.LockFor(alter))}. Migrate the key with expand/contract on all sides.",
            LockCatalog.LockFor(alter));
        yield return certainty == "may be" ? finding with { Severity = Severity.Warning } : finding;
    }
}
