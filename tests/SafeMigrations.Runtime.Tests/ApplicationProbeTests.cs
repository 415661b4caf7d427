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
            var held = new ObservedStatement("m1", $"LOCK orders {level}", true) { StartMs = start, HeldUntilMs = end };
            var orders = samples.Where(s => s.Table.Name == "orders").ToList();
            var read = ApplicationProbes.LongestWait(orders, held, ProbeKind.Read);
            var write = ApplicationProbes.LongestWait(orders, held, ProbeKind.Write);
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
        Assert.AreEqual(900, ApplicationProbes.LongestWait(samples, new ObservedStatement("m", "x", true) { StartMs = 0, HeldUntilMs = 2000 }, ProbeKind.Write));
        Assert.AreEqual(40, ApplicationProbes.LongestWait(samples, new ObservedStatement("m", "x", true) { StartMs = 920, HeldUntilMs = 2000 }, ProbeKind.Write), "only the part of the wait inside the statement's window");
    }

    private async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.CancellationToken);
    }
}
