using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Runner;

/// <summary>A table, or one column of it, that a migration step destroys with its rows' values.</summary>
/// <param name="Column">Null for the whole table.</param>
public sealed record DroppedData(TableName Table, string? Column);

/// <summary>
/// What a migration drops and so must be copied first: the runner backs each up in the migration's first
/// transaction, so a drop never commits without the copy of what it dropped. Tables the migration creates itself
/// hold nothing; raw SQL is judged by its classified statements.
/// </summary>
public static class Backups
{
    /// <summary>What the migration's Up drops that must be backed up first: nothing when it declines backups with a justification.</summary>
    public static IReadOnlyList<DroppedData> For(MigrationDefinition migration) =>
        migration is null || !string.IsNullOrWhiteSpace(migration.BackupDeclined) ? [] : Dropped(migration);

    /// <summary>What the migration's Up drops from tables that held rows, backed up or not.</summary>
    public static IReadOnlyList<DroppedData> Dropped(MigrationDefinition migration)
    {
        if (migration is null)
        {
            return [];
        }

        var operations = MigrationAnalyzer.Expand(migration.UpOperations);
        var created = CreatedObjects.In(operations);
        return operations
            .Where(o => o.Operation.Table is { } table && created.IsExistingTable(table, o.Index))
            .Select(o => o.Operation switch
            {
                DropTableChange table => new DroppedData(table.Name, null),
                DropColumnChange column => new DroppedData(column.TableName, column.Column),
                _ => null,
            })
            .OfType<DroppedData>()
            .ToList();
    }
}
