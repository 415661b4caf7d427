using System;
using System.Collections.Generic;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Analysis;

/// <summary>
/// The tables and indexes a migration creates itself, and where: operations on a table the same migration
/// created earlier touch no rows and block nobody, and there is nothing in it to check or back up.
/// </summary>
internal sealed class CreatedObjects
{
    private readonly Dictionary<TableName, int> tablesCreatedAt = new();
    private readonly Dictionary<string, int> indexesCreatedAt = new(StringComparer.Ordinal);

    private CreatedObjects()
    {
    }

    public static CreatedObjects In(IReadOnlyList<AnalyzedOperation> operations)
    {
        var created = new CreatedObjects();
        foreach (var analyzed in operations)
        {
            switch (analyzed.Operation)
            {
                case CreateTableChange create when !created.tablesCreatedAt.ContainsKey(create.Name):
                    created.tablesCreatedAt[create.Name] = analyzed.Index;
                    break;
                case RenameTableChange rename when created.IsTableCreatedBefore(rename.Name, analyzed.Index) && !created.tablesCreatedAt.ContainsKey(rename.NewName):
                    created.tablesCreatedAt[rename.NewName] = analyzed.Index;
                    break;
                case CreateIndexChange index when !created.indexesCreatedAt.ContainsKey(index.Name):
                    created.indexesCreatedAt[index.Name] = analyzed.Index;
                    break;
            }
        }

        return created;
    }

    /// <summary>The tables the migration creates (new tables: their locks block no one).</summary>
    public IReadOnlyCollection<TableName> Tables => tablesCreatedAt.Keys;

    /// <summary>True unless the table was created earlier in this migration.</summary>
    public bool IsExistingTable(TableName table, int beforeIndex) => !IsTableCreatedBefore(table, beforeIndex);

    public bool IsIndexCreatedBefore(string indexName, int beforeIndex) =>
        indexesCreatedAt.TryGetValue(indexName, out var at) && at < beforeIndex;

    private bool IsTableCreatedBefore(TableName table, int index) => tablesCreatedAt.TryGetValue(table, out var at) && at < index;
}
