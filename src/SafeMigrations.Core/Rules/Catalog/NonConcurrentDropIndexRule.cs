using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1002: DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the table (EF cannot emit CONCURRENTLY).</summary>
internal sealed class NonConcurrentDropIndexRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.NonConcurrentDropIndex, "Drop indexes of existing tables concurrently", Severity.Warning, RuleCategory.Locking,
        "Replace DropIndex with Sql(\"DROP INDEX CONCURRENTLY IF EXISTS \\\"name\\\";\", suppressTransaction: true), alone in its migration.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is DropIndexChange { Concurrently: false } drop
            && !context.IsIndexCreatedBefore(drop.Name, operation.Index)
            && (drop.TableName is not { } table || context.IsExistingTable(table, operation.Index)))
        {
            var lockLevel = LockCatalog.LockFor(drop);
            var on = drop.TableName is { } t ? " on " + t : string.Empty;
            yield return Report(context, drop,
                $"Dropping index \"{drop.Name}\"{on} without CONCURRENTLY {Takes(lockLevel)} while it waits for and holds the lock. Use DROP INDEX CONCURRENTLY IF EXISTS in a Sql call with suppressTransaction: true, alone in its migration.",
                lockLevel);
        }
    }
}
