using Npgsql;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Verify;

namespace SafeMigrations.Runtime;

/// <summary>
/// For `safemig verify`: imitates the application while a migration runs on the shadow database. On each of the largest
/// existing tables a read loop and a write loop, each on a connection of its own, send a request every
/// <see cref="ApplicationProbes.Interval"/> and record how long it waited for its table lock (Core's
/// <see cref="ApplicationProbes"/> says what a request is). Never on a production database.
/// </summary>
public sealed class ApplicationProbe : IAsyncDisposable
{
    private readonly List<ProbeSample> samples = [];
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> loops = [];

    private ApplicationProbe()
    {
    }

    /// <summary>The tables probed, most rows first.</summary>
    public IReadOnlyList<TableName> Tables { get; private set; } = [];

    /// <summary>Picks the tables and starts the loops; <paramref name="clock"/> gives each request's time (ms, the observer's clock).</summary>
    public static async Task<ApplicationProbe> StartAsync(string connectionString, string migrationId, Func<double> clock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var probe = new ApplicationProbe();
        var tables = new List<TableName>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(ObservationSql.LargestTables, connection);
            command.Parameters.AddWithValue("limit", ApplicationProbes.MaxTables);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(new TableName(reader.GetString(1), reader.GetString(0)));
            }
        }

        probe.Tables = tables;
        foreach (var table in tables)
        {
            foreach (var kind in new[] { ProbeKind.Read, ProbeKind.Write })
            {
                var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                probe.loops.Add(probe.LoopAsync(connection, migrationId, table, kind, clock));
            }
        }

        return probe;
    }

    /// <summary>Stops the loops (a request still waiting is cancelled and not counted) and returns every request, in the order sent.</summary>
    public async Task<IReadOnlyList<ProbeSample>> StopAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(false);
        lock (samples)
        {
            return samples.OrderBy(s => s.AtMs).ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await StopAsync().ConfigureAwait(false);
        }

        stop.Dispose();
    }

    private async Task LoopAsync(NpgsqlConnection connection, string migrationId, TableName table, ProbeKind kind, Func<double> clock)
    {
        await using var _ = connection;
        var request = ApplicationProbes.Request(table, kind);
        var token = stop.Token;
        while (!token.IsCancellationRequested)
        {
            var at = clock();
            var outcome = ProbeOutcome.Served;
            try
            {
                await using var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
                await using (var command = new NpgsqlCommand(request, connection, transaction))
                {
                    await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }

                await transaction.RollbackAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                outcome = ProbeOutcome.GaveUp;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                outcome = ProbeOutcome.Failed;
            }
            catch (NpgsqlException) when (token.IsCancellationRequested)
            {
                return;
            }

            lock (samples)
            {
                samples.Add(new ProbeSample(migrationId, table, kind, at, clock() - at, outcome));
            }

            if (outcome == ProbeOutcome.Failed)
            {
                return; // the table is gone for good: one failed request says so
            }

            try
            {
                await Task.Delay(ApplicationProbes.Interval, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
