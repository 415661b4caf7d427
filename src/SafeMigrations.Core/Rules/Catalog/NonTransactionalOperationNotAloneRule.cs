using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>
/// SM1003: an operation that must run outside a transaction (CONCURRENTLY, or a Sql call with
/// suppressTransaction) shares its migration with others, or CONCURRENTLY runs inside a transaction.
/// </summary>
internal sealed class NonTransactionalOperationNotAloneRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.NonTransactionalOperationNotAlone, "Non-transactional operations go alone in their migration", Severity.Error, RuleCategory.Transactions,
        "Move the concurrent index (or the suppressTransaction Sql call) into a migration of its own, with one statement.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeMigration(MigrationContext context)
    {
        var topLevel = context.TopLevelOperations;
        foreach (var operation in topLevel.Where(o => o.RunsOutsideTransaction))
        {
            if (topLevel.Count > 1)
            {
                yield return Report(context, operation,
                    $"{operation.Describe()} runs outside a transaction, but the migration has {topLevel.Count - 1} other operation(s): EF commits around it, so a failure leaves the migration half applied and not recorded. Put it alone in its own migration.");
            }
        }

        foreach (var analyzed in context.Operations.Where(o => o.Operation.FromSql is not null && o.Operation.RunsOutsideTransaction))
        {
            var statement = analyzed.Operation;
            if (statement.FromSql!.InsideTransaction)
            {
                yield return Report(context, statement,
                    $"{statement.Describe()} cannot run inside a transaction block, and EF runs this Sql call in the migration's transaction: PostgreSQL rejects it. Pass suppressTransaction: true and keep it alone in its migration.");
            }
            else if (context.Operations.Count(o => ReferenceEquals(o.TopLevel, analyzed.TopLevel)) > 1)
            {
                yield return Report(context, statement,
                    $"{statement.Describe()} shares its Sql call with other statements: sent as one batch they form an implicit transaction, which CONCURRENTLY refuses. Give it a Sql call (and a migration) of its own.");
            }
        }
    }
}
