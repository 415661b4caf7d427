using Microsoft.Extensions.Logging;
using Npgsql;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Runtime;

/// <summary>
/// Watches the migration session while one statement runs, from the lock's own session: how long it waits
/// for a lock, who is in its way (for SM4001's message), and whether it keeps application queries waiting
/// behind it. Past the watchdog's budget it cancels the statement (pg_cancel_backend on the runner's own
/// session), which StepExecutor retries later (SM4007 when the retries run out).
/// </summary>
internal sealed class SessionWatch(NpgsqlConnection watchConnection, int processId, SafeMigrationOptions options, ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource stop = new();

    public TimeSpan LockWait { get; private set; }

    public TimeSpan BlockingFor { get; private set; }

    public BlockingSession? Blocker { get; private set; }

    public bool Cancelled { get; private set; }

    public Task RunAsync() => WatchAsync(stop.Token);

    public async Task StopAsync(Task watching)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await watching.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (NpgsqlException e)
        {
            // A watch that fails must not fail the migration it watches.
            RunnerLog.WatchFailed(logger, e.Message);
        }

    }

    public void Dispose() => stop.Dispose();

    private async Task WatchAsync(CancellationToken token)
    {
        var interval = options.WatchInterval;
        while (true)
        {
            await Task.Delay(interval, token).ConfigureAwait(false);
            bool waiting;
            int[] blockers;
            int[] blocked;
            // The query itself is never cancelled half-way: the lock session must stay usable.
            await using (var command = new NpgsqlCommand(RunnerSql.Watch, watchConnection))
            {
                command.Parameters.AddWithValue("pid", processId);
                await using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
                if (!await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    return;
                }

                waiting = reader.GetBoolean(0);
                blockers = reader.GetFieldValue<int[]>(1);
                blocked = reader.GetFieldValue<int[]>(2);
            }

            if (waiting)
            {
                LockWait += interval;
            }

            if (blockers.Length > 0 && (Blocker is null || Blocker.ProcessId != blockers[0]))
            {
                Blocker = await SessionAsync(blockers[0]).ConfigureAwait(false) ?? Blocker;
            }

            if (blocked.Length == 0)
            {
                BlockingFor = TimeSpan.Zero;
                continue;
            }

            BlockingFor += interval;
            if (options.WatchdogBudget > TimeSpan.Zero && BlockingFor >= options.WatchdogBudget && !Cancelled)
            {
                Cancelled = true;
                RunnerLog.WatchdogCancel(logger, processId, blocked.Length, BlockingFor.TotalMilliseconds);
                await using var cancel = new NpgsqlCommand(RunnerSql.Cancel, watchConnection);
                cancel.Parameters.AddWithValue("pid", processId);
                await cancel.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task<BlockingSession?> SessionAsync(int pid)
    {
        await using var command = new NpgsqlCommand(RunnerSql.Session, watchConnection);
        command.Parameters.AddWithValue("pid", pid);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        if (!await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            return null;
        }

        return new BlockingSession(
            reader.GetInt32(0), reader.GetString(1), reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4), reader.GetString(5));
    }
}
