using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1029: BEGIN/COMMIT/ROLLBACK inside a migration fight EF's own transaction.</summary>
internal sealed class TransactionControlInSqlRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.TransactionControlInSql, "Do not control transactions in migration SQL", Severity.Error, RuleCategory.Transactions,
        "Remove BEGIN/COMMIT/ROLLBACK; use suppressTransaction: true for statements that must run outside a transaction, alone in their migration.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is TransactionControlChange control)
        {
            yield return Report(context, control,
                $"{control.Keyword} in migration SQL: EF already runs the migration in a transaction (and records it in the history table in that transaction), so this commits or nests half of the migration. Remove it.");
        }
    }
}
