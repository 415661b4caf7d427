using System.Diagnostics;
using Npgsql;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Verify;

namespace SafeMigrations.Runtime;

/// <summary>
/// Watches every statement the runner runs, for `safemig verify` on a shadow database: the locks the migration's
/// backend held on tables that existed when observing began (read in the statement's own transaction, or polled
/// from a connection of its own for a statement outside one, such as CREATE INDEX CONCURRENTLY), the tables and
/// indexes it gave a new storage file, the tables it read row by row, what it waited for (sampled with the locks,
/// outside a transaction), and its timing. Set it as
/// <see cref="SafeMigrationOptions.Observer"/>; never on a production database (it adds queries to each step).
/// </summary>
public sealed class StatementObserver : IAsyncDisposable
{
    private readonly NpgsqlConnection poll;
    private readonly Stopwatch clock = new();
    private readonly List<ObservedStatement> statements = [];
    private readonly List<int> inOpenTransaction = [];
    private Dictionary<uint, (TableName Name, string Kind, uint FileNode)> existing = [];

    /// <param name="connectionString">The shadow database (the poller's own connection).</param>
    public StatementObserver(string connectionString) => poll = new NpgsqlConnection(connectionString);

    /// <summary>Every statement observed, in the order they ran.</summary>
    public IReadOnlyList<ObservedStatement> Statements => statements;

    /// <summary>Milliseconds since <see cref="StartAsync"/>: the clock every observed time is on.</summary>
    public double ElapsedMs => clock.Elapsed.TotalMilliseconds;

    /// <summary>Takes the relations that exist now as the ones whose locks and rewrites count; starts the clock.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (poll.State != System.Data.ConnectionState.Open)
        {
            await poll.OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        existing = await RelationsAsync(poll, null, cancellationToken).ConfigureAwait(false);
        clock.Restart();
    }

    /// <summary>Takes the relations that exist now as the ones that count (before the next migration), keeping the clock.</summary>
    public async Task RebaseAsync(CancellationToken cancellationToken = default) =>
        existing = await RelationsAsync(poll, null, cancellationToken).ConfigureAwait(false);

    internal async Task<Watch> BeforeAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string migrationId, string sql, CancellationToken cancellationToken)
    {
        var watch = new Watch(migrationId, sql, transaction is not null)
        {
            FilesBefore = await RelationsAsync(connection, transaction, cancellationToken).ConfigureAwait(false),
        };
        if (transaction is not null)
        {
            watch.LocksBefore = await LocksAsync(connection, transaction, connection.ProcessID, cancellationToken).ConfigureAwait(false);
            watch.ReadsBefore = await ReadsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            watch.Polling = PollAsync(connection.ProcessID, watch);
        }

        watch.Start = clock.Elapsed.TotalMilliseconds;
        return watch;
    }

    internal async Task AfterAsync(Watch watch, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var end = clock.Elapsed.TotalMilliseconds;
        Dictionary<uint, LockLevel> locks;
        var scanned = new List<TableName>();
        if (transaction is not null)
        {
            // A transaction keeps its locks: the statement's are those it took or strengthened.
            var now = await LocksAsync(connection, transaction, connection.ProcessID, cancellationToken).ConfigureAwait(false);
            locks = now.Where(l => l.Value > watch.LocksBefore.GetValueOrDefault(l.Key)).ToDictionary(l => l.Key, l => l.Value);
            var reads = await ReadsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            scanned.AddRange(reads.Where(r => r.Value > watch.ReadsBefore.GetValueOrDefault(r.Key) && existing.ContainsKey(r.Key)).Select(r => existing[r.Key].Name));
        }
        else
        {
            watch.StopPolling = true;
            await watch.Polling!.ConfigureAwait(false);
            locks = watch.Polled;
        }

        var files = await RelationsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var rewritten = watch.FilesBefore
            .Where(r => existing.ContainsKey(r.Key) && files.TryGetValue(r.Key, out var after) && after.FileNode != r.Value.FileNode)
            .Select(r => (r.Value.Kind == "i" ? "index " : string.Empty) + r.Value.Name.DisplayName)
            .ToList();
        statements.Add(new ObservedStatement(watch.MigrationId, watch.Sql, watch.InTransaction)
        {
            StartMs = watch.Start,
            DurationMs = end - watch.Start,
            HeldUntilMs = end,
            Locks = locks.Where(l => existing.TryGetValue(l.Key, out var relation) && relation.Kind != "i").Select(l => new ObservedLock(existing[l.Key].Name, l.Value)).ToList(),
            Rewritten = rewritten,
            Scanned = scanned,
            Waits = watch.Waits.OrderByDescending(w => w.Value).Select(w => new ObservedWait(w.Key.Type, w.Key.Event, w.Value)).ToList(),
        });
        if (transaction is not null)
        {
            inOpenTransaction.Add(statements.Count - 1);
        }
    }

    /// <summary>Runs one statement (in <paramref name="transaction"/>, or on its own) and observes it as the runner's statements are.</summary>
    public async Task<ObservedStatement> ObserveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var watch = await BeforeAsync(connection, transaction, string.Empty, sql, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await AbandonAsync(watch).ConfigureAwait(false);
            throw;
        }

        await AfterAsync(watch, connection, transaction, cancellationToken).ConfigureAwait(false);
        return statements[^1];
    }

    /// <summary>The statement failed: stop watching it (a poller must not outlive it), record nothing.</summary>
    internal static async Task AbandonAsync(Watch watch)
    {
        watch.StopPolling = true;
        if (watch.Polling is { } polling)
        {
            try
            {
                await polling.ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The poller's own query failed with the statement: nothing to record either way.
            }
        }
    }

    /// <summary>The transaction committed or rolled back: its statements' locks were held until now.</summary>
    public void TransactionEnded()
    {
        var now = clock.Elapsed.TotalMilliseconds;
        foreach (var index in inOpenTransaction)
        {
            statements[index] = statements[index] with { HeldUntilMs = now };
        }

        inOpenTransaction.Clear();
    }

    public ValueTask DisposeAsync() => poll.DisposeAsync();

    /// <summary>Polls the backend's granted locks while a statement outside a transaction runs (they end with it).</summary>
    private async Task PollAsync(int pid, Watch watch)
    {
        var sampled = clock.Elapsed.TotalMilliseconds;
        while (!watch.StopPolling)
        {
            (string Type, string Event)? wait = null;
            await using (var command = new NpgsqlCommand(ObservationSql.PolledLocksAndWait, poll))
            {
                command.Parameters.AddWithValue("pid", pid);
                await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    if (reader.IsDBNull(0))
                    {
                        wait = (reader.GetString(3), reader.GetString(4));
                        continue;
                    }

                    var oid = reader.GetFieldValue<uint>(0);
                    var level = ObservationSql.LevelOfMode(reader.GetString(1));
                    watch.Polled[oid] = level > watch.Polled.GetValueOrDefault(oid) ? level : watch.Polled[oid];
                }
            }

            // A wait seen now is counted as lasting since the previous poll: the polls are well under a millisecond apart.
            var now = clock.Elapsed.TotalMilliseconds;
            if (wait is { } seen)
            {
                watch.Waits[seen] = watch.Waits.GetValueOrDefault(seen) + (now - sampled);
            }

            sampled = now;
            await Task.Yield(); // as often as the server answers: a short concurrent build holds its lock for milliseconds
        }
    }

    private static async Task<Dictionary<uint, LockLevel>> LocksAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, int pid, CancellationToken cancellationToken)
    {
        var locks = new Dictionary<uint, LockLevel>();
        await using var command = new NpgsqlCommand(ObservationSql.HeldLocks, connection, transaction);
        command.Parameters.AddWithValue("pid", pid);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var oid = reader.GetFieldValue<uint>(0);
            var level = ObservationSql.LevelOfMode(reader.GetString(1));
            locks[oid] = level > locks.GetValueOrDefault(oid) ? level : locks[oid];
        }

        return locks;
    }

    private static async Task<Dictionary<uint, (TableName Name, string Kind, uint FileNode)>> RelationsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var relations = new Dictionary<uint, (TableName, string, uint)>();
        await using var command = new NpgsqlCommand(ObservationSql.Relations, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            relations[reader.GetFieldValue<uint>(0)] = (new TableName(reader.GetString(2), reader.GetString(1)), reader.GetString(3), reader.GetFieldValue<uint>(4));
        }

        return relations;
    }

    private static async Task<Dictionary<uint, long>> ReadsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var reads = new Dictionary<uint, long>();
        await using var command = new NpgsqlCommand(ObservationSql.SequentialReads, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            reads[reader.GetFieldValue<uint>(0)] = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
        }

        return reads;
    }

    /// <summary>What is known of a statement while it runs.</summary>
    internal sealed class Watch(string migrationId, string sql, bool inTransaction)
    {
        public string MigrationId { get; } = migrationId;

        public string Sql { get; } = sql;

        public bool InTransaction { get; } = inTransaction;

        public double Start { get; set; }

        public Dictionary<uint, (TableName Name, string Kind, uint FileNode)> FilesBefore { get; init; } = [];

        public Dictionary<uint, LockLevel> LocksBefore { get; set; } = [];

        public Dictionary<uint, long> ReadsBefore { get; set; } = [];

        public Dictionary<uint, LockLevel> Polled { get; } = [];

        public Dictionary<(string Type, string Event), double> Waits { get; } = [];

        public Task? Polling { get; set; }

        public volatile bool StopPolling;
    }
}
