using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1001: CREATE INDEX without CONCURRENTLY on an existing table blocks writes for the whole build.</summary>
internal sealed class NonConcurrentIndexRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.NonConcurrentIndex, "Create indexes on existing tables concurrently", Severity.Error, RuleCategory.Locking,
        "Build the index with .IsCreatedConcurrently() (or CREATE INDEX CONCURRENTLY IF NOT EXISTS with suppressTransaction: true), alone in its migration; drop an INVALID leftover if the build fails.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        // Unique indexes are SM1015's: the recipe differs (USING INDEX).
        if (operation.Operation is CreateIndexChange { Concurrently: false, IsUnique: false } index
            && context.IsExistingTable(index.TableName, operation.Index))
        {
            var lockLevel = LockCatalog.LockFor(index);
            yield return Report(context, index,
                $"Index {Quote(index.Name)} on existing table {index.TableName} is built without CONCURRENTLY: the build {Takes(lockLevel)} for as long as it scans the table. Create it concurrently, alone in its migration.",
                lockLevel);
        }
    }

    private static string Quote(string name) => "\"" + name + "\"";
}
