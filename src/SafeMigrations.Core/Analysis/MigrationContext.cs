using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Analysis;

/// <summary>What a rule sees of one migration (Up, unless Down is being checked).</summary>
internal sealed class MigrationContext
{
    private readonly CreatedObjects created;

    internal MigrationContext(MigrationDefinition migration, IReadOnlyList<SchemaChange> topLevel, IReadOnlyList<AnalyzedOperation> operations, AnalysisOptions options, SchemaHistory history)
    {
        Migration = migration;
        TopLevelOperations = topLevel;
        Operations = operations;
        Options = options;
        History = history;
        created = CreatedObjects.In(operations);
    }

    public MigrationDefinition Migration { get; }

    /// <summary>The migration's own operations (Sql calls not split).</summary>
    public IReadOnlyList<SchemaChange> TopLevelOperations { get; }

    /// <summary>All operations in order, raw SQL split and classified.</summary>
    public IReadOnlyList<AnalyzedOperation> Operations { get; }

    public AnalysisOptions Options { get; }

    public SchemaHistory History { get; }

    public int TargetVersion => Options.TargetPostgresVersion;

    /// <summary>
    /// True unless the table was created earlier in this migration: operations on a table the same
    /// migration creates touch no rows and block nobody.
    /// </summary>
    public bool IsExistingTable(TableName table, int beforeIndex) => created.IsExistingTable(table, beforeIndex);

    public bool IsIndexCreatedBefore(string indexName, int beforeIndex) => created.IsIndexCreatedBefore(indexName, beforeIndex);

    /// <summary>Whether the migration changes the schema of a table that already existed.</summary>
    public bool ChangesExistingSchema() =>
        Operations.Any(o => o.Operation.IsSchemaChange && o.Operation is not CreateTableChange && !(o.Operation.Table is { } t && !IsExistingTable(t, o.Index)));

    /// <summary>A finding on the operation, its message ending with the command that writes the safe form (Core's <see cref="Remedies"/>).</summary>
    public Finding CreateFinding(RuleDescriptor rule, string message, SchemaChange? operation, LockLevel lockLevel = LockLevel.None) =>
        Remedies.WithRemedy(
            new(rule.Id, rule.DefaultSeverity, message, Migration.Id, operation?.Location ?? Migration.Location)
            {
                Table = operation?.Table,
                Lock = lockLevel,
                Statement = operation?.FromSql?.Statement,
            },
            operation,
            Migration.ContextName);
}
