using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Runtime;

/// <summary>
/// Runs a migration's batched backfill: keyset batches along the key, each batch and its cursor committed
/// together, a pause between batches (longer while the application suffers: <see cref="WorkThrottle"/>), progress as rows go. A run that stopped resumes after the cursor.
/// </summary>
internal sealed class Backfiller(NpgsqlConnection connection, SafeMigrationOptions options, WorkThrottle throttle, ILogger logger)
{
    /// <summary>The longest a batch held its row locks in this run (its transaction's duration).</summary>
    public TimeSpan LongestBatch { get; private set; }

    public async Task<long> RunAsync(string migrationId, BackfillSpec spec, CancellationToken cancellationToken)
    {
        var relation = RunnerSql.Qualified(spec.Schema, spec.Table);
        string? last = null;
        long rows = 0;
        await using (var read = new NpgsqlCommand(BackfillSql.ReadCursor, connection))
        {
            read.Parameters.AddWithValue("migration", migrationId);
            read.Parameters.AddWithValue("name", spec.Name);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.GetBoolean(2))
                {
                    return reader.GetInt64(1);
                }

                last = reader.IsDBNull(0) ? null : reader.GetString(0);
                rows = reader.GetInt64(1);
            }
        }

        if (last is not null)
        {
            RunnerLog.BackfillResumed(logger, spec.Name, rows);
            options.Progress?.Report(new MigrationProgress(MigrationProgressKind.BackfillResumed, migrationId, 0, 0)
            {
                Rows = rows,
                Detail = $"backfill {spec.Name} resumes after its saved cursor: {rows} rows done by an earlier run",
            });
        }

        if (spec.UsesPrimaryKey)
        {
            spec = spec with { KeyColumn = await ScalarAsync<string>(BackfillSql.PrimaryKeyColumn, ("table", relation), null, cancellationToken).ConfigureAwait(false) ?? string.Empty };
        }

        var keyType = (spec.UsesPrimaryKey ? null : await ScalarAsync<string>(BackfillSql.KeyType, ("table", relation), ("column", spec.KeyColumn), cancellationToken).ConfigureAwait(false))
            ?? throw new SafeMigrationException(Core.Rules.RuleIds.MigrationFailed, $"Backfill of {spec.Name}: {BackfillSql.MissingKey(spec)}.", migrationId);
        var estimate = await ScalarAsync<long?>(BackfillSql.EstimatedRows, ("table", relation), null, cancellationToken).ConfigureAwait(false) ?? 0;
        var first = BackfillSql.Batch(spec, keyType, first: true);
        var next = BackfillSql.Batch(spec, keyType, first: false);
        while (true)
        {
            await throttle.WaitWhileBusyAsync(migrationId, $"backfill {spec.Name}", cancellationToken).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            long count;
            string? lastKey;
            await using (var batch = new NpgsqlCommand(last is null ? first : next, connection, transaction) { CommandTimeout = 0 })
            {
                if (last is not null)
                {
                    batch.Parameters.AddWithValue("last", last);
                }

                await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                count = reader.GetInt64(0);
                lastKey = reader.IsDBNull(1) ? null : reader.GetString(1);
            }

            rows += count;
            var finished = lastKey is null;
            await using (var save = new NpgsqlCommand(BackfillSql.SaveCursor, connection, transaction))
            {
                save.Parameters.AddWithValue("migration", migrationId);
                save.Parameters.AddWithValue("name", spec.Name);
                save.Parameters.AddWithValue("last", (object?)(lastKey ?? last) ?? DBNull.Value);
                save.Parameters.AddWithValue("rows", rows);
                save.Parameters.AddWithValue("done", finished);
                await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            clock.Stop();
            LongestBatch = clock.Elapsed > LongestBatch ? clock.Elapsed : LongestBatch;
            if (finished)
            {
                return rows;
            }

            last = lastKey;
            SafeMigrationsTelemetry.RowsBackfilled.Add(count);
            RunnerLog.Backfilled(logger, spec.Name, rows);
            options.Progress?.Report(new MigrationProgress(MigrationProgressKind.Backfilled, migrationId, 0, 0)
            {
                Rows = rows,
                RowsEstimate = Math.Max(estimate, rows),
                Detail = $"{spec.Name}: {rows} of about {Math.Max(estimate, rows)} rows",
            });
            if (spec.PauseMilliseconds > 0)
            {
                await Task.Delay(spec.PauseMilliseconds, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<T?> ScalarAsync<T>(string sql, (string Name, object Value) first, (string Name, object Value)? second, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(first.Name, first.Value);
        if (second is { } more)
        {
            command.Parameters.AddWithValue(more.Name, more.Value);
        }

        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? default : (T)value;
    }
}
