using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Rules.Catalog;

namespace SafeMigrations.Core.Rules;

/// <summary>Every migration rule, and every descriptor (including the suppression checks).</summary>
public static class RuleCatalog
{
    public static IReadOnlyList<MigrationRule> MigrationRules { get; } =
    [
        new NonConcurrentIndexRule(),
        new NonConcurrentDropIndexRule(),
        new NonTransactionalOperationNotAloneRule(),
        new RequiredColumnWithoutDefaultRule(),
        new RewritingColumnDefaultRule(),
        new RewritingTypeChangeRule(),
        new SetNotNullRule(),
        new NarrowingTypeChangeRule(),
        new RenameColumnRule(),
        new RenameTableRule(),
        new DropColumnRule(),
        new DropTableRule(),
        new ValidatedForeignKeyRule(),
        new ValidatedCheckConstraintRule(),
        new UniqueConstraintRule(),
        new AddPrimaryKeyRule(),
        new DataChangeWithSchemaChangeRule(),
        new RawSqlRule(),
        new JsonColumnRule(),
        new MissingDownRule(),
        new AddIdentityColumnRule(),
        new EnumValueChangeRule(),
        new IdentifierTooLongRule(),
        new TypeDesignRule(),
        new KeyColumnTypeChangeRule(),
        new ExclusiveMaintenanceRule(),
        new DropNotNullRule(),
        new DomainConstraintRule(),
        new TransactionControlInSqlRule(),
        new ExclusionConstraintRule(),
        new NonIdempotentNonTransactionalSqlRule(),
    ];

    public static IReadOnlyList<RuleDescriptor> All { get; } =
        new[] { SuppressionRules.WithoutJustification, SuppressionRules.Unused }
            .Concat(MigrationRules.Select(rule => rule.Descriptor))
            .OrderBy(descriptor => descriptor.Id, StringComparer.Ordinal)
            .ToList();

    public static RuleDescriptor? Find(string id) => All.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase));
}
