using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Polly;
using Polly.Retry;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Runtime;

/// <summary>
/// One migration runner at a time per database: a session-level advisory lock held on a connection of its
/// own for the whole run, so it also covers migrations that run outside a transaction (which EF's own
/// history-table lock does not). Waiting is done by polling <c>pg_try_advisory_lock</c> with jittered
/// exponential backoff, never by a blocking <c>pg_advisory_lock</c>: a waiter that sat in the lock queue
/// could hold up others. While waiting it reports who holds the lock.
/// </summary>
public sealed class MigrationRunLock : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly long key;

    private MigrationRunLock(NpgsqlConnection connection, long key)
    {
        this.connection = connection;
        this.key = key;
        ProcessId = connection.ProcessID;
    }

    /// <summary>The backend pid of the session that holds (or held) the lock.</summary>
    public int ProcessId { get; }

    /// <summary>The lock's own session: the runner also uses it to watch its migration session and to write the audit trail.</summary>
    internal NpgsqlConnection Connection => connection;

    public static Task<MigrationRunLock> AcquireAsync(
        NpgsqlDataSource dataSource, MigrationLockOptions? options = null, ILogger? logger = null, Action<LockHolder>? waiting = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return AcquireAsync(dataSource.CreateConnection(), options, logger, waiting, cancellationToken);
    }

    /// <summary>Opens <paramref name="connection"/> (not yet open; the lock owns and disposes it) and takes the lock on it.</summary>
    internal static async Task<MigrationRunLock> AcquireAsync(
        NpgsqlConnection connection, MigrationLockOptions? options = null, ILogger? logger = null, Action<LockHolder>? waiting = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new MigrationLockOptions();
        logger ??= NullLogger.Instance;
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (options.ApplicationName is { Length: > 0 } name)
            {
                // Who holds the lock is what a waiting runner reports: make this session recognisable.
                await using var naming = new NpgsqlCommand(AdvisoryLockSql.SetApplicationName, connection);
                naming.Parameters.AddWithValue("name", name);
                await naming.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        try
        {
            var started = DateTimeOffset.UtcNow;
            LockHolder? lastHolder = null;
            // The timeout is the outer strategy, so it bounds the whole wait, not each try.
            var pipeline = new ResiliencePipelineBuilder<bool>()
                .AddTimeout(options.WaitBudget)
                .AddRetry(new RetryStrategyOptions<bool>
                {
                    ShouldHandle = new PredicateBuilder<bool>().HandleResult(acquired => !acquired),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.FirstPollInterval,
                    MaxDelay = options.MaxPollInterval,
                    MaxRetryAttempts = int.MaxValue,
                    OnRetry = async arguments =>
                    {
                        lastHolder = await HolderAsync(connection, options.Key, arguments.Context.CancellationToken).ConfigureAwait(false);
                        if (lastHolder is not null)
                        {
                            RunnerLog.WaitingForLock(logger, lastHolder);
                            waiting?.Invoke(lastHolder);
                        }
                    },
                })
                .Build();
            bool acquired;
            try
            {
                acquired = await pipeline.ExecuteAsync(async token => await TryAcquireAsync(connection, options.Key, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
            catch (Polly.Timeout.TimeoutRejectedException)
            {
                throw new MigrationLockTimeoutException(DateTimeOffset.UtcNow - started, lastHolder ?? await HolderAsync(connection, options.Key, cancellationToken).ConfigureAwait(false));
            }

            if (!acquired)
            {
                throw new MigrationLockTimeoutException(DateTimeOffset.UtcNow - started, lastHolder);
            }

            RunnerLog.TookLock(logger, connection.ProcessID);
            return new MigrationRunLock(connection, options.Key);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Releases the lock and closes its connection (closing alone would release it too).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand(AdvisoryLockSql.Release, connection);
            command.Parameters.AddWithValue("key", key);
            await command.ExecuteScalarAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The connection is gone, and the session's lock with it.
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<bool> TryAcquireAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(AdvisoryLockSql.TryAcquire, connection);
        command.Parameters.AddWithValue("key", key);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task<LockHolder?> HolderAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(AdvisoryLockSql.Holder, connection);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new LockHolder(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4));
    }
}
