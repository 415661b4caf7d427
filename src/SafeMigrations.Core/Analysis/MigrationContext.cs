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
    private readonly Dictionary<TableName, int> tablesCreatedAt = new();
    private readonly Dictionary<string, int> indexesCreatedAt = new(StringComparer.Ordinal);

    internal MigrationContext(MigrationDefinition migration, IReadOnlyList<SchemaChange> topLevel, IReadOnlyList<AnalyzedOperation> operations, AnalysisOptions options, SchemaHistory history)
    {
        Migration = migration;
        TopLevelOperations = topLevel;
        Operations = operations;
        Options = options;
        History = history;
        foreach (var analyzed in operations)
        {
            switch (analyzed.Operation)
            {
                case CreateTableChange create when !tablesCreatedAt.ContainsKey(create.Name):
                    tablesCreatedAt[create.Name] = analyzed.Index;
                    break;
                case RenameTableChange rename when IsCreatedBefore(rename.Name, analyzed.Index) && !tablesCreatedAt.ContainsKey(rename.NewName):
                    tablesCreatedAt[rename.NewName] = analyzed.Index;
                    break;
                case CreateIndexChange index when !indexesCreatedAt.ContainsKey(index.Name):
                    indexesCreatedAt[index.Name] = analyzed.Index;
                    break;
            }
        }
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
    public bool IsExistingTable(TableName table, int beforeIndex) => !IsCreatedBefore(table, beforeIndex);

    public bool IsIndexCreatedBefore(string indexName, int beforeIndex) =>
        indexesCreatedAt.TryGetValue(indexName, out var at) && at < beforeIndex;

    /// <summary>Whether the migration changes the schema of a table that already existed.</summary>
    public bool ChangesExistingSchema() =>
        Operations.Any(o => o.Operation.IsSchemaChange && o.Operation is not CreateTableChange && !(o.Operation.Table is { } t && !IsExistingTable(t, o.Index)));

    public Finding CreateFinding(RuleDescriptor rule, string message, SchemaChange? operation, LockLevel lockLevel = LockLevel.None) =>
        new(rule.Id, rule.DefaultSeverity, message, Migration.Id, operation?.Location ?? Migration.Location)
        {
            Table = operation?.Table,
            Lock = lockLevel,
            Statement = operation?.FromSql?.Statement,
        };

    private bool IsCreatedBefore(TableName table, int index) => tablesCreatedAt.TryGetValue(table, out var at) && at < index;
}
