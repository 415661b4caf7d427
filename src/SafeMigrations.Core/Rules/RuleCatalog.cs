using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Rules.Catalog;

namespace SafeMigrations.Core.Rules;

/// <summary>Every migration rule, every model rule, and every descriptor (including the suppression checks).</summary>
public static class RuleCatalog
{
    internal static IReadOnlyList<MigrationRule> MigrationRules { get; } =
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
        new ClrDefaultForExistingRowsRule(),
    ];

    /// <summary>The rules comparing entity classes with the ModelSnapshot (SM2xxx).</summary>
    internal static IReadOnlyList<ModelRule> ModelRules { get; } =
    [
        new RemovedPropertyRule(),
        new RenamedPropertyRule(),
        new RequiredPropertyWithoutDefaultRule(),
        new PropertyTypeChangeRule(),
        new MaxLengthReducedRule(),
        new PropertyMadeRequiredRule(),
        new RemovedEntityRule(),
        new TableNameChangeRule(),
        new PendingModelChangesRule(),
        new NonConcurrentNewIndexRule(),
        new VolatileDefaultOnNewPropertyRule(),
    ];

    /// <summary>The build gate's checks (SM3xxx): reported by the design host, never by the analyzers.</summary>
    public static IReadOnlyList<RuleDescriptor> GateDescriptors { get; } =
    [
        GateRules.UncapturedModelChanges,
        GateRules.NonLinearHistory,
        GateRules.RecordedMigrationEdited,
        GateRules.DesignHostFailed,
        GateRules.PreviousReleaseBroken,
        GateRules.ModelSnapshotLostTables,
        GateRules.BackfillTargetMissing,
    ];

    /// <summary>The runner's findings (SM4xxx): reported while migrations are applied, never by the analyzers or the gate.</summary>
    public static IReadOnlyList<RuleDescriptor> RunnerDescriptors { get; } =
    [
        RunnerRules.LockTimeoutRetriesExhausted,
        RunnerRules.IntegrityCheckFailed,
        RunnerRules.LiveSchemaDrift,
        RunnerRules.AppliedMigrationChanged,
        RunnerRules.ObservedBlockingLock,
        RunnerRules.RollbackChangedSchema,
        RunnerRules.BlockedApplicationQueries,
        RunnerRules.MigrationFailed,
        RunnerRules.RollbackRefused,
        RunnerRules.NothingToRestore,
    ];

    public static IReadOnlyList<RuleDescriptor> All { get; } =
        new[] { SuppressionRules.WithoutJustification, SuppressionRules.Unused, RuleFailure.Descriptor, SuppressionRules.MissingPackage, SuppressionRules.UnknownContext }
            .Concat(MigrationRules.Select(rule => rule.Descriptor))
            .Concat(ModelRules.Select(rule => rule.Descriptor))
            .Concat(GateDescriptors)
            .Concat(RunnerDescriptors)
            .OrderBy(descriptor => descriptor.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>The rules that judge migrations (SM1xxx), which a suppression may name.</summary>
    public static IReadOnlyList<RuleDescriptor> MigrationDescriptors { get; } = MigrationRules.Select(rule => rule.Descriptor).ToList();

    public static RuleDescriptor? Find(string id) => All.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase));
}
