using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Runtime;

/// <summary>
/// Runs one migration's commands, up or down: split into steps (each transaction, each statement outside one), each
/// step committed on its own with its timeouts and retries, progress kept so a run that died resumes after the steps
/// it committed, and the migration's audit rows committed with its last step.
/// </summary>
internal sealed class MigrationExecution(SafeMigrationOptions options, ILogger logger)
{
    public async Task<MigrationStepResult> RunAsync(
        RunSession session, KnownMigration migration, MigrationDirection direction, MigrationPhase phase, IReadOnlyList<RunnerCommand> commands, string checksum,
        int index, int total, CancellationToken cancellationToken)
    {
        using var activity = SafeMigrationsTelemetry.Source.StartActivity("migration " + migration.Id);
        activity?.SetTag("safemigrations.migration", migration.Id);
        activity?.SetTag("safemigrations.direction", direction.ToString());
        options.Progress?.Report(new MigrationProgress(MigrationProgressKind.MigrationStarted, migration.Id, index, total));
        var steps = MigrationStep.Split(commands);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var records = new List<StatementRecord>();
        var progressKey = direction == MigrationDirection.Up ? migration.Id : migration.Id + ":down";
        var completed = 0;
        if (steps.Count > 1)
        {
            completed = await ReadProgressAsync(session.Connection, progressKey, checksum, cancellationToken).ConfigureAwait(false);
            if (completed > 0)
            {
                RunnerLog.Resuming(logger, migration.Id, completed, steps.Count);
            }
        }

        try
        {
            for (var s = completed; s < steps.Count; s++)
            {
                var step = steps[s];
                var done = s + 1;
                var last = done == steps.Count;
                Func<NpgsqlTransaction, IReadOnlyList<StatementRecord>, CancellationToken, Task>? bookkeeping = last
                    ? async (transaction, stepRecords, token) =>
                    {
                        if (steps.Count > 1)
                        {
                            await DatabaseCommands.ExecuteAsync(session.Connection, AuditSql.ClearProgress, token, transaction, ("migration", progressKey)).ConfigureAwait(false);
                        }

                        await session.Audit.RecordMigrationAsync(session.Connection, transaction, migration.Id, direction, checksum, started, clock.Elapsed, "applied", null, null, [.. records, .. stepRecords]).ConfigureAwait(false);
                    }
                    : steps.Count == 1 ? null : (transaction, _, token) => SaveProgressAsync(session.Connection, progressKey, checksum, done, transaction, token);
                await session.Executor.RunAsync(migration.Id, step, records, bookkeeping,
                    sql => options.Progress?.Report(new MigrationProgress(MigrationProgressKind.StatementStarted, migration.Id, index, total) { Detail = sql }), cancellationToken).ConfigureAwait(false);
                if (!step.InTransaction && steps.Count > 1)
                {
                    await SaveProgressAsync(session.Connection, progressKey, checksum, done, null, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failing = e is SafeMigrationException { FailingStatement: { } f } ? f : records.LastOrDefault(r => r.Outcome == "failed")?.Sql ?? FailingStatement(steps, records, completed);
            RunnerLog.Failed(logger, migration.Id, e.Message);
            SafeMigrationsTelemetry.MigrationsApplied.Add(1, new KeyValuePair<string, object?>("outcome", "failed"), new KeyValuePair<string, object?>("direction", direction == MigrationDirection.Up ? "up" : "down"));
            await session.Audit.RecordMigrationAsync(migration.Id, direction, checksum, started, clock.Elapsed, "failed", e.Message, failing, records).ConfigureAwait(false);
            if (e is SafeMigrationException)
            {
                throw;
            }

            throw new SafeMigrationException(RuleIds.MigrationFailed,
                $"{migration.Id} failed: {e.Message.TrimEnd('.')}. The migration's open transaction was rolled back{(steps.Count > 1 ? "; steps it committed before are recorded and the next run resumes after them" : ", so the database is as before it")}. Fix the migration or the data, then run again.",
                migration.Id, e) { FailingStatement = failing };
        }

        SafeMigrationsTelemetry.MigrationDuration.Record(clock.Elapsed.TotalMilliseconds);
        SafeMigrationsTelemetry.MigrationsApplied.Add(1, new KeyValuePair<string, object?>("outcome", "applied"), new KeyValuePair<string, object?>("direction", direction == MigrationDirection.Up ? "up" : "down"));
        RunnerLog.Applied(logger, migration.Id, clock.Elapsed.TotalMilliseconds);
        options.Progress?.Report(new MigrationProgress(MigrationProgressKind.MigrationFinished, migration.Id, index, total) { Elapsed = clock.Elapsed });
        return new MigrationStepResult(migration.Id, direction, phase, clock.Elapsed, records.Count, records.Sum(r => r.Retries), TimeSpan.FromTicks(records.Sum(r => r.LockWait.Ticks)));
    }

    private static string? FailingStatement(IReadOnlyList<MigrationStep> steps, List<StatementRecord> records, int completed)
    {
        // The statement after the last one recorded as done.
        var done = records.Select(r => r.Ordinal).ToHashSet();
        return steps.Skip(completed).SelectMany(s => s.Commands).FirstOrDefault(c => !done.Contains(c.Ordinal)).Command?.Sql;
    }

    private static async Task<int> ReadProgressAsync(NpgsqlConnection connection, string key, string checksum, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(AuditSql.ReadProgress, connection);
        command.Parameters.AddWithValue("migration", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetString(0) == checksum ? reader.GetInt32(1) : 0;
    }

    private static Task SaveProgressAsync(NpgsqlConnection connection, string key, string checksum, int steps, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        DatabaseCommands.ExecuteAsync(connection, AuditSql.SaveProgress, cancellationToken, transaction, ("migration", key), ("checksum", checksum), ("steps", steps));
}
