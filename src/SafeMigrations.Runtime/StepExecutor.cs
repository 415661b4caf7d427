using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;
using SafeMigrations.Core.Rules;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Runtime;

/// <summary>
/// Runs migration steps on the migration session: timeouts per statement kind, a watch on the session's
/// locks from the lock session (lock waits, who blocks it, whom it blocks, the watchdog's cancel), and
/// Polly retries with jittered exponential backoff for lock timeouts, deadlocks and watchdog cancels.
/// </summary>
internal sealed class StepExecutor
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlConnection watchConnection;
    private readonly SafeMigrationOptions options;
    private readonly ILogger logger;
    private readonly ResiliencePipeline pipeline;
    private readonly WorkThrottle throttle;
    private StatementKind? sessionKind;
    private int runningOrdinal;

    public StepExecutor(NpgsqlConnection connection, NpgsqlConnection watchConnection, SafeMigrationOptions options, ILogger logger, AuditTrail? audit = null)
    {
        throttle = new WorkThrottle(connection, options, audit, logger);
        this.connection = connection;
        this.watchConnection = watchConnection;
        this.options = options;
        this.logger = logger;
        pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                // MaxRetries = 0: one try, and a retryable failure is reported as such.
                ShouldHandle = options.MaxRetries > 0 ? new PredicateBuilder().Handle<RetryableStepException>() : _ => PredicateResult.False(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.FirstRetryDelay,
                MaxDelay = options.MaxRetryDelay,
                MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                OnRetry = arguments =>
                {
                    SafeMigrationsTelemetry.Retries.Add(1);
                    if (arguments.Outcome.Exception is RetryableStepException failure)
                    {
                        RunnerLog.Retrying(logger, RetryReasons.Describe(failure.Reason), arguments.AttemptNumber + 1, arguments.RetryDelay.TotalMilliseconds, failure.Blocker?.ToString() ?? "no session seen");
                    }

                    return default;
                },
            })
            .Build();
    }

    public int ProcessId => connection.ProcessID;

    /// <summary>The longest any backfill batch of this run held its row locks.</summary>
    public TimeSpan LongestBackfillBatch { get; private set; }

    /// <summary>Runs a step, retrying it whole; <paramref name="inTransaction"/> adds commands to its transaction (progress, audit), given the step's statement records.</summary>
    public async Task RunAsync(
        string migrationId, MigrationStep step, List<StatementRecord> records, Func<NpgsqlTransaction, IReadOnlyList<StatementRecord>, CancellationToken, Task>? inTransaction,
        Action<string>? statementStarted, CancellationToken cancellationToken)
    {
        var attempts = new Dictionary<int, StatementAttempt>();
        RetryableStepException? last = null;
        try
        {
            await pipeline.ExecuteAsync(
                async token =>
                {
                    try
                    {
                        await AttemptAsync(migrationId, step, attempts, inTransaction, statementStarted, token).ConfigureAwait(false);
                    }
                    catch (RetryableStepException e)
                    {
                        last = e;
                        if (attempts.TryGetValue(e.Ordinal, out var a))
                        {
                            a.Retries++;
                        }

                        throw;
                    }
                },
                cancellationToken).ConfigureAwait(false);
            Record(step, records, attempts, null);
            return;
        }
        catch (RetryableStepException e)
        {
            last = e;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Record(step, records, attempts, runningOrdinal, e.Message);
            throw;
        }

        Record(step, records, attempts, last);
        var rule = last.Reason == RetryReason.Watchdog ? RuleIds.BlockedApplicationQueries : RuleIds.LockTimeoutRetriesExhausted;
        var blocker = last.Blocker is { } b ? b.Describe() : "no blocking session was seen (it may have ended just before)";
        var message = last.Reason == RetryReason.Watchdog
            ? $"{migrationId}: the statement blocked application queries for longer than the watchdog's budget ({options.WatchdogBudget.TotalSeconds:0.#} s) on every one of {options.MaxRetries + 1} tries, and was cancelled each time. Run it at a quieter moment, give it a weaker lock, or raise WatchdogBudget. Statement: {Shorten(last.Statement)}"
            : $"{migrationId}: {RetryReasons.Describe(last.Reason)} on every one of {options.MaxRetries + 1} tries (lock_timeout {options.LockTimeout.TotalMilliseconds:0} ms). Blocking session: {blocker}. End that session (SELECT pg_terminate_backend({last.Blocker?.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "pid"})) or wait for a quieter moment, then run again. Statement: {Shorten(last.Statement)}";
        throw new SafeMigrationException(rule, message, migrationId, last) { FailingStatement = last.Statement };
    }

    public async Task ResetAsync()
    {
        if (sessionKind is null || connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        await using var command = new NpgsqlCommand(RunnerSql.ResetTimeouts, connection);
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        sessionKind = null;
    }

    private static void Record(MigrationStep step, List<StatementRecord> records, Dictionary<int, StatementAttempt> attempts, RetryableStepException? failure) =>
        Record(step, records, attempts, failure?.Ordinal, failure?.Message);

    private static void Record(MigrationStep step, List<StatementRecord> records, Dictionary<int, StatementAttempt> attempts, int? failedOrdinal, string? error)
    {
        foreach (var (ordinal, command) in step.Commands)
        {
            if (!attempts.TryGetValue(ordinal, out var a))
            {
                continue;
            }

            var failed = failedOrdinal == ordinal;
            records.Add(new StatementRecord(ordinal, command.Sql, step.InTransaction, a.Started, a.Clock.Elapsed, a.Wait, a.Retries,
                failed ? "failed" : failedOrdinal is null ? "applied" : step.InTransaction ? "rolled back" : "not run", failed ? error : null));
        }
    }

    private async Task AttemptAsync(
        string migrationId, MigrationStep step, Dictionary<int, StatementAttempt> attempts,
        Func<NpgsqlTransaction, IReadOnlyList<StatementRecord>, CancellationToken, Task>? inTransaction, Action<string>? statementStarted, CancellationToken cancellationToken)
    {
        NpgsqlTransaction? transaction = null;
        StatementObserver.Watch? watching = null;
        try
        {
            if (step.InTransaction)
            {
                transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var (ordinal, command) in step.Commands)
            {
                if (!attempts.TryGetValue(ordinal, out var a))
                {
                    attempts[ordinal] = a = new StatementAttempt(DateTimeOffset.UtcNow);
                }

                a.Clock.Start();
                runningOrdinal = ordinal;
                statementStarted?.Invoke(command.Sql);
                var observed = watching = options.Observer is { } observer && !command.IsHistory
                    ? await observer.BeforeAsync(connection, transaction, migrationId, command.Sql, cancellationToken).ConfigureAwait(false)
                    : null;
                if (!step.InTransaction && !await PrepareConcurrentIndexAsync(command.Sql, cancellationToken).ConfigureAwait(false))
                {
                    a.Clock.Stop();
                    continue;
                }

                if (!step.InTransaction && BackfillSql.Parse(command.Sql) is { } backfill)
                {
                    // A batched backfill runs batch by batch on its cursor; a retry resumes after the last batch.
                    await SetTimeoutsAsync(StatementKind.LongRunning, null, cancellationToken).ConfigureAwait(false);
                    var backfiller = new Backfiller(connection, options, throttle, logger);
                    try
                    {
                        await backfiller.RunAsync(migrationId, backfill, cancellationToken).ConfigureAwait(false);
                    }
                    catch (PostgresException e) when (RetryReasons.Of(e, watchdogCancelled: false) is { } reason)
                    {
                        throw new RetryableStepException(reason, ordinal, command.Sql, null, e);
                    }

                    LongestBackfillBatch = backfiller.LongestBatch > LongestBackfillBatch ? backfiller.LongestBatch : LongestBackfillBatch;
                    a.Clock.Stop();
                    await ObservedAsync(observed, transaction, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!step.InTransaction && !command.IsHistory)
                {
                    // Long work outside a transaction (a concurrent build) starts only when the application is not suffering.
                    await throttle.WaitWhileBusyAsync(migrationId, "statement " + (ordinal + 1), cancellationToken).ConfigureAwait(false);
                }

                a.Wait += await ExecuteWatchedAsync(ordinal, command, transaction, cancellationToken).ConfigureAwait(false);
                a.Clock.Stop();
                await ObservedAsync(observed, transaction, cancellationToken).ConfigureAwait(false);
                SafeMigrationsTelemetry.StatementDuration.Record(a.Clock.Elapsed.TotalMilliseconds);
            }

            if (transaction is not null)
            {
                if (inTransaction is not null)
                {
                    // The step's statements as they will be recorded if it commits: the bookkeeping (progress,
                    // the audit rows of a finished migration) commits with them, or not at all.
                    var done = new List<StatementRecord>();
                    Record(step, done, attempts, null);
                    await inTransaction(transaction, done, cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                options.Observer?.TransactionEnded();
            }
        }
        catch
        {
            if (watching is not null)
            {
                // A failed statement's poller stops with it.
                await StatementObserver.AbandonAsync(watching).ConfigureAwait(false);
            }

            options.Observer?.TransactionEnded();
            foreach (var key in attempts.Keys.ToList())
            {
                attempts[key].Clock.Stop();
            }

            // A rolled-back SET is undone too: set the timeouts again next time.
            sessionKind = null;
            if (transaction is not null && connection.State == System.Data.ConnectionState.Open)
            {
                try
                {
                    await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (NpgsqlException)
                {
                    // The session broke; the server rolled the transaction back with it.
                }
            }

            throw;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task ObservedAsync(StatementObserver.Watch? observed, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        if (observed is not null)
        {
            await options.Observer!.AfterAsync(observed, connection, transaction, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Before CREATE INDEX CONCURRENTLY: an INVALID index of that name is what a failed or killed build left,
    /// so it is dropped first; a valid one means the build finished before the run stopped, so it is skipped.
    /// </summary>
    private async Task<bool> PrepareConcurrentIndexAsync(string sql, CancellationToken cancellationToken)
    {
        if (StatementKinds.ConcurrentIndexBuilt(sql) is not { } index)
        {
            return true;
        }

        await using var state = new NpgsqlCommand(RunnerSql.IndexState, connection);
        state.Parameters.AddWithValue("name", index.Name);
        state.Parameters.AddWithValue("schema", (object?)index.Schema ?? DBNull.Value);
        var valid = await state.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (valid is true)
        {
            RunnerLog.IndexAlreadyBuilt(logger, index.Name);
            return false;
        }

        if (valid is false)
        {
            RunnerLog.DroppingInvalidIndex(logger, index.Name);
            await SetTimeoutsAsync(StatementKind.LongRunning, null, cancellationToken).ConfigureAwait(false);
            await using var drop = new NpgsqlCommand(RunnerSql.DropInvalidIndex(index.Schema, index.Name), connection);
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private async Task SetTimeoutsAsync(StatementKind kind, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        if (sessionKind == kind)
        {
            return;
        }

        var (lockTimeout, statementTimeout) = kind == StatementKind.LongRunning
            ? (options.LongRunningLockTimeout, options.LongRunningStatementTimeout)
            : (options.LockTimeout, options.StatementTimeout);
        await using var command = new NpgsqlCommand(RunnerSql.SetTimeouts((long)lockTimeout.TotalMilliseconds, (long)statementTimeout.TotalMilliseconds), connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        sessionKind = kind;
    }

    private async Task<TimeSpan> ExecuteWatchedAsync(int ordinal, RunnerCommand command, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var kind = command.IsHistory ? StatementKind.SchemaChange : StatementKinds.Classify(command.Sql, command.InTransaction);
        await SetTimeoutsAsync(kind, transaction, cancellationToken).ConfigureAwait(false);
        using var watch = new SessionWatch(watchConnection, connection.ProcessID, options, logger);
        using var activity = SafeMigrationsTelemetry.Source.StartActivity("statement");
        activity?.SetTag("db.system", "postgresql");
        activity?.SetTag("db.statement", command.Sql);
        await using var sql = new NpgsqlCommand(command.Sql, connection, transaction) { CommandTimeout = 0 };
        foreach (var (name, value) in command.Parameters)
        {
            sql.Parameters.AddWithValue(name, value);
        }

        var watching = watch.RunAsync();
        try
        {
            await sql.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (RetryReasons.Of(e, watch.Cancelled) is { } reason)
        {
            await watch.StopAsync(watching).ConfigureAwait(false);
            activity?.SetStatus(ActivityStatusCode.Error, RetryReasons.Describe(reason));
            throw new RetryableStepException(reason, ordinal, command.Sql, watch.Blocker, e);
        }
        catch (PostgresException e)
        {
            await watch.StopAsync(watching).ConfigureAwait(false);
            activity?.SetStatus(ActivityStatusCode.Error, e.SqlState);
            throw;
        }

        await watch.StopAsync(watching).ConfigureAwait(false);
        SafeMigrationsTelemetry.LockWait.Record(watch.LockWait.TotalMilliseconds);
        return watch.LockWait;
    }

    private static string Shorten(string sql)
    {
        var line = sql.ReplaceLineEndings(" ").Trim();
        return line.Length > 200 ? line[..200] + " …" : line;
    }
}
