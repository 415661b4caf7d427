using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>
/// SM1031: a statement that runs outside a transaction is not rolled back on failure, so a retry
/// must tolerate what the failed attempt left (IF [NOT] EXISTS).
/// </summary>
internal sealed class NonIdempotentNonTransactionalSqlRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.NonIdempotentNonTransactionalSql, "Make non-transactional SQL re-runnable", Severity.Warning, RuleCategory.Transactions,
        "Write CREATE INDEX CONCURRENTLY IF NOT EXISTS / DROP INDEX CONCURRENTLY IF EXISTS, and drop an INVALID index left by a failed build before retrying.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation.FromSql is not { InsideTransaction: false })
        {
            yield break;
        }

        var missing = operation.Operation switch
        {
            CreateIndexChange { IfNotExists: false } => "IF NOT EXISTS",
            DropIndexChange { IfExists: false } => "IF EXISTS",
            _ => null,
        };
        if (missing is not null)
        {
            yield return Report(context, operation.Operation,
                $"{operation.Operation.Describe()} runs outside a transaction, so a failure is not rolled back and a retry fails on what it left. Add {missing}.");
        }
    }
}
