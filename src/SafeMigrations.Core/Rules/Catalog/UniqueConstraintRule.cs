using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1015: a unique constraint, or a unique index built without CONCURRENTLY, on an existing table.</summary>
internal sealed class UniqueConstraintRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.UniqueConstraint, "Build unique indexes concurrently", Severity.Error, RuleCategory.Locking,
        "CREATE UNIQUE INDEX CONCURRENTLY alone in its migration; check it is valid; then, if a constraint is needed, ADD CONSTRAINT … UNIQUE USING INDEX.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        switch (operation.Operation)
        {
            case CreateIndexChange { IsUnique: true, Concurrently: false } index when context.IsExistingTable(index.TableName, operation.Index):
                yield return Report(context, index,
                    $"Unique index \"{index.Name}\" on existing table {index.TableName} is built without CONCURRENTLY: the build {Takes(LockCatalog.LockFor(index))} for the whole scan, and fails on duplicates. Create it concurrently, alone in its migration.",
                    LockCatalog.LockFor(index));
                break;
            case AddUniqueConstraintChange { UsingIndex: null } unique when context.IsExistingTable(unique.TableName, operation.Index):
                yield return Report(context, unique,
                    $"Unique constraint \"{unique.Name}\" on existing table {unique.TableName} builds its index while it {Takes(LockCatalog.LockFor(unique))}. Build a unique index concurrently first, then ADD CONSTRAINT … UNIQUE USING INDEX.",
                    LockCatalog.LockFor(unique));
                break;
        }
    }
}
