using System.Diagnostics;
using Npgsql;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Verify;
using SafeMigrations.Testing;

namespace SafeMigrations.Runtime.Tests;

/// <summary>
/// verify's application probe against locks PostgreSQL really holds: for every table lock level, the probe's reads and
/// writes wait exactly when Core's lock catalog says the level blocks reads and writes; a dropped table fails its requests.
/// </summary>
[TestClass]
public sealed class ApplicationProbeTests
{
    private const int HoldMs = 600;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Reads_and_writes_wait_exactly_for_the_locks_core_says_block_them()
    {
        var database = await SharedPostgres.CreateDatabaseAsync("application-probe");
        await ExecuteAsync(database, "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric); INSERT INTO orders SELECT g, g FROM generate_series(1, 1000) g; CREATE TABLE notes (id int); ANALYZE");
        var clock = Stopwatch.StartNew();
        var windows = new List<(LockLevel Level, double Start, double End)>();
        await using var holder = new NpgsqlConnection(database);
        await holder.OpenAsync(TestContext.CancellationToken);
        var probe = await ApplicationProbe.StartAsync(database, "m1", () => clock.Elapsed.TotalMilliseconds, TestContext.CancellationToken);
        Assert.AreEqual("orders", probe.Tables[0].Name, "the largest table first");

        foreach (var level in Enum.GetValues<LockLevel>().Where(l => l != LockLevel.None))
        {
            await Task.Delay(150, TestContext.CancellationToken);
            await using var transaction = await holder.BeginTransactionAsync(TestContext.CancellationToken);
            await using (var take = new NpgsqlCommand($"LOCK TABLE orders IN {level.SqlName()} MODE", holder, transaction))
            {
                await take.ExecuteNonQueryAsync(TestContext.CancellationToken);
            }

            var start = clock.Elapsed.TotalMilliseconds;
            await Task.Delay(HoldMs, TestContext.CancellationToken);
            var end = clock.Elapsed.TotalMilliseconds;
            await transaction.CommitAsync(TestContext.CancellationToken);
            windows.Add((level, start, end));
        }

        await Task.Delay(150, TestContext.CancellationToken);
        await ExecuteAsync(database, "DROP TABLE notes");
        await Task.Delay(300, TestContext.CancellationToken);
        var samples = await probe.StopAsync();

        Assert.IsTrue(samples.Count(s => s.Table.Name == "orders" && s.Outcome == ProbeOutcome.Served) > 20, $"{samples.Count} requests");
        foreach (var (level, start, end) in windows)
        {
            var orders = probe.Tables[0];
            var read = ApplicationProbes.WaitDuring(samples, orders, ProbeKind.Read, start, end) ?? 0;
            var write = ApplicationProbes.WaitDuring(samples, orders, ProbeKind.Write, start, end) ?? 0;
            // A blocked request waits out most of the hold (it is sent at most one interval after the lock is taken);
            // one that is not blocked waits for nothing but the server's answer.
            Assert.AreEqual(level.BlocksReads(), read > HoldMs / 2, $"{level.SqlName()}: a read waited {read:0} ms");
            Assert.AreEqual(level.BlocksWrites(), write > HoldMs / 2, $"{level.SqlName()}: a write waited {write:0} ms");
        }

        var notes = samples.Where(s => s.Table.Name == "notes").ToList();
        Assert.AreEqual(2, notes.Count(s => s.Outcome == ProbeOutcome.Failed), "the read and the write loop each fail once on the dropped table, then stop");
        Assert.AreEqual(ProbeOutcome.Failed, notes[^1].Outcome);
    }

    [TestMethod]
    public void A_condensed_report_keeps_the_longest_wait_of_every_window_and_every_request_that_did_not_get_through()
    {
        var table = new Core.Model.TableName("orders");
        var samples = new[]
        {
            new ProbeSample("m", table, ProbeKind.Write, 10, 2, ProbeOutcome.Served),
            new ProbeSample("m", table, ProbeKind.Write, 60, 900, ProbeOutcome.Served),
            new ProbeSample("m", table, ProbeKind.Write, 80, 3, ProbeOutcome.GaveUp),
            new ProbeSample("m", table, ProbeKind.Read, 20, 1, ProbeOutcome.Served),
            new ProbeSample("m", table, ProbeKind.Read, 150, 1, ProbeOutcome.Served),
        };

        var kept = ApplicationProbes.Condensed(samples, 100);

        CollectionAssert.AreEquivalent(new[] { samples[1], samples[2], samples[3], samples[4] }, kept.ToArray(), "per window the longest served request, and every one that gave up");
        Assert.AreEqual(900, ApplicationProbes.WaitDuring(samples, table, ProbeKind.Write, 0, 2000));
        Assert.AreEqual(40, ApplicationProbes.WaitDuring(samples, table, ProbeKind.Write, 920, 2000), "only the part of the wait inside the window");
        Assert.IsNull(ApplicationProbes.WaitDuring(samples, new Core.Model.TableName("users"), ProbeKind.Write, 0, 2000), "no request to that table");

        // A statement's stall counts only requests its own locks block: SHARE on orders blocks its writes, not its reads.
        var share = new ObservedStatement("m", "CREATE INDEX …", true) { StartMs = 50, HeldUntilMs = 1000, Locks = [new ObservedLock(table, Core.Postgres.LockLevel.Share)] };
        Assert.IsNull(ApplicationProbes.Stall(samples, share, ProbeKind.Read), "SHARE blocks no read");
        Assert.AreEqual(900, ApplicationProbes.Stall(samples, share, ProbeKind.Write)!.Ms);
        var late = share with { StartMs = 1500, HeldUntilMs = 1520 };
        Assert.IsNull(ApplicationProbes.Stall(samples, late, ProbeKind.Write)!.Ms, "blocked, but no request came while it held the lock");
    }

    private async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.CancellationToken);
    }
}
