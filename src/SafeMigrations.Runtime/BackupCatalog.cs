using Npgsql;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Runtime;

/// <summary>One backup of dropped data: which migration took it, of what, when, and how big it is.</summary>
/// <param name="TakenBy">"up" (restore after rolling the migration back) or "down" (restore after applying it again).</param>
public sealed record BackupEntry(string BackupTable, string MigrationId, string SourceSchema, string SourceTable, string? Column, string TakenBy, DateTimeOffset TakenAt, long Bytes, long Rows);

/// <summary>
/// The backups the runner keeps in schema safemigrations_backup (`safemig backups`): listed with size and age, and
/// purged by migration or by age. Backups are data too: a purge is how a team makes dropped personal data go for good.
/// </summary>
public static class BackupCatalog
{
    /// <summary>Every backup, newest first.</summary>
    public static async Task<IReadOnlyList<BackupEntry>> ListAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var entries = new List<BackupEntry>();
        if (!await RunnerTables.ExistAsync(connection, BackupSql.Exists, cancellationToken).ConfigureAwait(false))
        {
            return entries;
        }

        await using (var command = new NpgsqlCommand(BackupSql.List, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(new BackupEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetInt64(7), 0));
            }
        }

        for (var i = 0; i < entries.Count; i++)
        {
            await using var count = new NpgsqlCommand(BackupSql.CountRows(entries[i].BackupTable), connection);
            entries[i] = entries[i] with { Rows = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) };
        }

        return entries;
    }

    /// <summary>Drops the backups of one migration (its id, or its name); returns how many.</summary>
    public static async Task<int> PurgeMigrationAsync(NpgsqlConnection connection, string migration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!await RunnerTables.ExistAsync(connection, BackupSql.Exists, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var id = await ResolveAsync(connection, migration, cancellationToken).ConfigureAwait(false);
        return await DropAsync(connection, await TablesAsync(connection, BackupSql.OfMigration, ("migration", id), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the backups older than <paramref name="age"/>; returns how many. Every run does this with SafeMigrationOptions.BackupRetention.</summary>
    public static async Task<int> PurgeOlderThanAsync(NpgsqlConnection connection, TimeSpan age, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await RunnerTables.ExistAsync(connection, BackupSql.Exists, cancellationToken).ConfigureAwait(false)
            ? await DropAsync(connection, await TablesAsync(connection, BackupSql.Expired, ("age", age), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
            : 0;
    }

    /// <summary>The id of the migration with backups that <paramref name="migration"/> names by id or by name.</summary>
    internal static async Task<string> ResolveAsync(NpgsqlConnection connection, string migration, CancellationToken cancellationToken)
    {
        if (!await RunnerTables.ExistAsync(connection, BackupSql.Exists, cancellationToken).ConfigureAwait(false))
        {
            return migration;
        }

        var ids = await TablesAsync(connection, BackupSql.MigrationIds, ("migration", migration), cancellationToken).ConfigureAwait(false);
        return ids.Count switch
        {
            0 => migration,
            1 => ids[0],
            _ => ids.Contains(migration, StringComparer.Ordinal) ? migration
                : throw new SafeMigrationException(Core.Rules.RuleIds.NothingToRestore, $"Several migrations named {migration} have backups ({string.Join(", ", ids)}): give the full id."),
        };
    }

    private static async Task<List<string>> TablesAsync(NpgsqlConnection connection, string sql, (string Name, object Value) parameter, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static async Task<int> DropAsync(NpgsqlConnection connection, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            await using var drop = new NpgsqlBatch(connection);
            drop.BatchCommands.Add(new NpgsqlBatchCommand(BackupSql.Drop(table)));
            var forget = new NpgsqlBatchCommand(BackupSql.Forget);
            forget.Parameters.AddWithValue("backup", table);
            drop.BatchCommands.Add(forget);
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return tables.Count;
    }
}
