using Npgsql;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Runtime;

/// <summary>
/// Puts back what a migration's destructive steps destroyed, from the backups taken before them: a dropped
/// column's values by primary key, a dropped table's rows. Roll the migration back first (the column or
/// table must exist again); rows already present are kept.
/// </summary>
public static class BackupRestorer
{
    /// <summary>Restores every backup of the migration (its id, or its name as rollback --to takes it) in one transaction; returns the rows written.</summary>
    public static async Task<long> RestoreAsync(NpgsqlDataSource dataSource, string migrationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        migrationId = await BackupCatalog.ResolveAsync(connection, migrationId, cancellationToken).ConfigureAwait(false);
        var backups = await ListAsync(connection, migrationId, cancellationToken).ConfigureAwait(false);
        if (backups.Count == 0)
        {
            throw new SafeMigrationException(Core.Rules.RuleIds.NothingToRestore,
                $"There is no backup of {migrationId}: the runner backs up dropped columns and tables of the migrations it applies (not those applied by dotnet ef or Migrate()), and drops backups after their retention.");
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long rows = 0;
        foreach (var backup in backups)
        {
            var sql = backup.Column is null
                ? BackupSql.RestoreTable(backup.Table, backup.SourceSchema, backup.SourceTable)
                : BackupSql.RestoreColumn(backup.Table, backup.SourceSchema, backup.SourceTable, backup.KeyColumns, backup.Column);
            try
            {
                await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
                rows += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn)
            {
                // An Up drop comes back with the rollback; a Down drop with the migration applied again.
                var bringBack = backup.TakenBy == "down" ? $"apply {migrationId} again first (dotnet safemig apply)" : $"roll {migrationId} back first (dotnet safemig rollback)";
                throw new SafeMigrationException(Core.Rules.RuleIds.NothingToRestore,
                    $"{backup.SourceSchema}.{backup.SourceTable}{(backup.Column is null ? string.Empty : "." + backup.Column)} does not exist: {bringBack}, then restore. Nothing was restored.", migrationId, e);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows;
    }

    private static async Task<List<(string Table, string SourceSchema, string SourceTable, string? Column, string[] KeyColumns, string TakenBy)>> ListAsync(
        NpgsqlConnection connection, string migrationId, CancellationToken cancellationToken)
    {
        var result = new List<(string, string, string, string?, string[], string)>();
        if (!await RunnerTables.ExistAsync(connection, BackupSql.Exists, cancellationToken).ConfigureAwait(false))
        {
            return result;
        }

        await using var command = new NpgsqlCommand(BackupSql.ForMigration, connection);
        command.Parameters.AddWithValue("migration", migrationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<string[]>(4), reader.GetString(5)));
        }

        return result;
    }
}
