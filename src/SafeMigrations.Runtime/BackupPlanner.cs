using Npgsql;
using NpgsqlTypes;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Runtime;

/// <summary>
/// Adds backups in front of what a migration drops (Core's <see cref="Backups"/>): the backups run in the migration's first
/// transaction, so a drop never commits without the copy of what it dropped.
/// </summary>
internal static class BackupPlanner
{
    /// <summary>The commands of <paramref name="migration"/>'s Up with backups of what it drops in front.</summary>
    public static Task<IReadOnlyList<RunnerCommand>> WithBackupsAsync(
        NpgsqlConnection connection, MigrationDefinition migration, IReadOnlyList<RunnerCommand> commands, CancellationToken cancellationToken) =>
        WithBackupsAsync(connection, migration.Id, Backups.For(migration), "up", commands, cancellationToken);

    /// <summary>
    /// The commands of <paramref name="migration"/>'s Down with backups of what it drops (the Down of an AddColumn, a
    /// CreateTable) in front; <paramref name="empty"/>: what the rollback counted and found holding nothing, not copied.
    /// </summary>
    public static Task<IReadOnlyList<RunnerCommand>> WithDownBackupsAsync(
        NpgsqlConnection connection, MigrationDefinition migration, IReadOnlyList<RunnerCommand> commands, IReadOnlyCollection<DroppedData> empty, CancellationToken cancellationToken) =>
        WithBackupsAsync(connection, migration.Id,
            Backups.For(new MigrationDefinition(migration.Id, migration.DownOperations) { BackupDeclined = migration.BackupDeclined }).Where(d => !empty.Contains(d)).ToList(),
            "down", commands, cancellationToken);

    private static async Task<IReadOnlyList<RunnerCommand>> WithBackupsAsync(
        NpgsqlConnection connection, string migrationId, IReadOnlyList<DroppedData> dropped, string direction, IReadOnlyList<RunnerCommand> commands, CancellationToken cancellationToken)
    {
        var backups = new List<RunnerCommand>();
        foreach (var (droppedTable, column) in dropped)
        {
            var table = droppedTable.Name;
            var relation = RunnerSql.Qualified(droppedTable.Schema, table);
            var actualSchema = await ScalarAsync<string>(connection, BackupSql.RelationSchema, relation, cancellationToken).ConfigureAwait(false);
            if (actualSchema is null)
            {
                continue; // created in this migration, or already gone: nothing to keep
            }

            var keys = await KeyColumnsAsync(connection, relation, cancellationToken).ConfigureAwait(false);
            if (column is not null && keys.Count == 0)
            {
                continue; // without a key the values could not be put back on their rows
            }

            var backupTable = BackupSql.TableName(migrationId, table, column, DateTime.UtcNow);
            var copy = column is null
                ? BackupSql.BackupTable(backupTable, actualSchema, table)
                : BackupSql.BackupColumn(backupTable, actualSchema, table, keys, column);
            backups.Add(new RunnerCommand(copy, InTransaction: true) { IsHistory = true });
            backups.Add(new RunnerCommand(BackupSql.Record, InTransaction: true)
            {
                IsHistory = true,
                Parameters = [("backup", backupTable), ("migration", migrationId), ("schema", actualSchema), ("table", table), ("column", (object?)column ?? DBNull.Value), ("keys", keys.ToArray()), ("direction", direction)],
            });
        }

        if (backups.Count == 0)
        {
            return commands;
        }

        // A migration that starts outside a transaction gets its backups in a transaction of their own, still before it.
        return [new RunnerCommand(BackupSql.Create, InTransaction: true) { IsHistory = true }, .. backups, .. commands];
    }

    private static async Task<List<string>> KeyColumnsAsync(NpgsqlConnection connection, string relation, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await using var command = new NpgsqlCommand(BackupSql.PrimaryKey, connection);
        command.Parameters.AddWithValue("table", relation);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, string relation, CancellationToken cancellationToken)
        where T : class
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("table", NpgsqlDbType.Text, relation);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as T;
    }
}
