using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SafeMigrations.Runtime.Fixture;
using SafeMigrations.Testing;

namespace SafeMigrations.Runtime.Tests;

/// <summary>
/// The runner under fault: concurrent runners, SIGKILL at random points, a long transaction in the way, a
/// statement that blocks the application. Figures go to the test output (and the closing note).
/// </summary>
[TestClass]
public sealed class RunnerReliabilityTests
{
    private static readonly string[] V2Migrations =
    [
        "20260101000000_CreateCustomers", "20260101000100_AddOrders", "20260101000200_AddEmailIndex", "20260101000300_AddCustomerTier",
        "20260201000000_BackfillEmail", "20260201000100_RequireEmail",
    ];

    public TestContext TestContext { get; set; } = null!;

    // The suite runs 20 rounds of concurrent runners and 10 killed rounds (a killed round starts a process, about
    // 3 s on 2 cores) to stay within its time budget; SAFEMIGRATIONS_RELIABILITY_ROUNDS=50 runs 50 of each
    // (docs/runner.md has the figures of such a run).
    private static int Rounds => int.TryParse(Environment.GetEnvironmentVariable("SAFEMIGRATIONS_RELIABILITY_ROUNDS"), out var rounds) ? rounds : 20;

    private static int KillRounds => int.TryParse(Environment.GetEnvironmentVariable("SAFEMIGRATIONS_RELIABILITY_ROUNDS"), out var rounds) ? rounds : 10;

    [TestMethod]
    public async Task Eight_runners_started_at_once_apply_each_migration_exactly_once_in_every_round()
    {
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            await using var db = await ShopDatabase.CreateAsync("runner-eight");
            using var start = new ManualResetEventSlim();
            var runners = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                await using var context = db.Context(nameof(ShopV1));
                start.Wait(TestContext.CancellationToken);
                return await context.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken);
            })).ToList();
            start.Set();
            var results = await Task.WhenAll(runners);

            Assert.AreEqual(4, results.Sum(r => r.Steps.Count), $"round {round}: the four migrations were applied once in all");
            Assert.HasCount(4, await db.HistoryAsync());
            Assert.AreEqual(4L, await db.ScalarAsync<long>("SELECT count(*) FROM safemigrations.migrations WHERE direction = 'up' AND outcome = 'applied'"), $"round {round}");
            Assert.AreEqual(8L, await db.ScalarAsync<long>("SELECT count(*) FROM safemigrations.runs WHERE outcome = 'succeeded'"), $"round {round}");
            Assert.IsTrue(await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_customers_email'::regclass"));
        }

        TestContext.WriteLine($"{Rounds} rounds of 8 concurrent runners in {clock.Elapsed.TotalSeconds:0.0} s: every migration applied exactly once");
    }

    [TestMethod]
    public async Task A_runner_killed_at_a_random_point_leaves_a_consistent_database_that_the_next_run_completes_without_losing_a_row()
    {
        var fixture = typeof(ShopV2).Assembly.Location;
        var random = new Random(20261203);
        var killedMidRun = 0;
        var resumedSteps = 0;
        var clock = Stopwatch.StartNew();
        // Each round starts from a copy of one populated database: customers with 20,000 rows, nothing else applied.
        await using var template = await ShopDatabase.CreateAsync("runner-kill-template");
        await using (var first = template.Context(nameof(ShopV1)))
        {
            await first.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { TargetMigration = "CreateCustomers" }), TestContext.CancellationToken);
        }

        await template.ExecuteAsync("INSERT INTO customers (name, legacy_code) SELECT 'C' || g, 'L' || g FROM generate_series(1, 20000) g");
        var rowsBefore = await template.ScalarAsync<string>("SELECT md5(string_agg(id || ':' || name || ':' || legacy_code, ',' ORDER BY id)) FROM customers");
        var templateName = new NpgsqlConnectionStringBuilder(template.ConnectionString).Database!;
        template.DataSource.Clear();
        NpgsqlConnection.ClearAllPools();
        for (var round = 0; round < KillRounds; round++)
        {
            await using var db = await ShopDatabase.CreateFromTemplateAsync("runner-kill", templateName);

            using (var child = ChildProcess.Start(DotnetPath(), ["exec", fixture, nameof(ShopV2), db.ConnectionString]))
            {
                if (await child.WaitForOutputAsync("statement", TimeSpan.FromSeconds(30)))
                {
                    await Task.Delay(random.Next(0, 400), TestContext.CancellationToken);
                }

                try
                {
                    Signals.Send(child.Id, Signals.SigKill);
                    killedMidRun += child.Output.Contains("done", StringComparison.Ordinal) ? 0 : 1;
                }
                catch (InvalidOperationException)
                {
                    // It finished first: that round is a clean run.
                }

                await child.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }

            // Consistent after the kill: every migration EF's history lists has its effect, and none is half-applied in a way the next run trips on.
            var history = await db.HistoryAsync();
            CollectionAssert.IsSubsetOf(history, V2Migrations);
            Assert.AreEqual(history.Contains("20260101000300_AddCustomerTier"), await db.ColumnExistsAsync("customers", "tier"), $"round {round}: tier column agrees with the history");
            Assert.AreEqual(!history.Contains("20260201000100_RequireEmail"), await db.ColumnExistsAsync("customers", "legacy_code"), $"round {round}: legacy_code agrees with the history");

            await using (var next = db.Context(nameof(ShopV2)))
            {
                var completed = await next.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken);
                resumedSteps += completed.Steps.Count;
            }

            CollectionAssert.AreEqual(V2Migrations, await db.HistoryAsync(), $"round {round}");
            Assert.AreEqual(20000L, await db.ScalarAsync<long>("SELECT count(*) FROM customers"), $"round {round}: no row lost");
            Assert.AreEqual(0L, await db.ScalarAsync<long>("SELECT count(*) FROM customers WHERE email IS DISTINCT FROM lower(name) || '@example.com'"), $"round {round}: every email backfilled");
            var backup = await db.ScalarAsync<string>("SELECT backup_table FROM safemigrations.backups WHERE migration_id = '20260201000100_RequireEmail'");
            Assert.AreEqual(rowsBefore, await db.ScalarAsync<string>(
                $"SELECT md5(string_agg(c.id || ':' || c.name || ':' || b.legacy_code, ',' ORDER BY c.id)) FROM customers c JOIN safemigrations_backup.\"{backup}\" b USING (id)"),
                $"round {round}: the dropped column's values are in the backup, row for row");
            Assert.AreEqual(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE NOT indisvalid"), $"round {round}: no INVALID index left");
        }

        TestContext.WriteLine($"{KillRounds} rounds, {killedMidRun} killed before they finished, {resumedSteps} migrations completed by the next run, in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.IsGreaterThan(KillRounds / 2, killedMidRun, "most kills land in the middle of a run");
    }

    [TestMethod]
    public async Task A_long_transaction_in_the_way_makes_the_runner_retry_without_stalling_application_writes_and_SM4001_names_it()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-contention");
        await using (var v1 = db.Context(nameof(ShopV1)))
        {
            await v1.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { TargetMigration = "AddEmailIndex" }), TestContext.CancellationToken);
        }

        await db.ExecuteAsync("INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 1000) g");
        await using var blocker = await db.DataSource.OpenConnectionAsync(TestContext.CancellationToken);
        await using var transaction = await blocker.BeginTransactionAsync(TestContext.CancellationToken);
        await using (var hold = new NpgsqlCommand("SELECT name FROM customers WHERE id = 1 FOR UPDATE", blocker, transaction))
        {
            await hold.ExecuteScalarAsync(TestContext.CancellationToken);
        }

        var blockerPid = blocker.ProcessID;
        var lockTimeout = TimeSpan.FromMilliseconds(200);
        using var writing = new CancellationTokenSource();
        var writes = WriteContinuouslyAsync(db.DataSource, writing.Token);
        var options = ShopDatabase.Options(new SafeMigrationOptions { LockTimeout = lockTimeout, MaxRetries = 3 });
        await using (var v1 = db.Context(nameof(ShopV1)))
        {
            var error = await Assert.ThrowsExactlyAsync<SafeMigrationException>(() => v1.Database.SafeMigrateAsync(options, TestContext.CancellationToken));
            Assert.AreEqual("SM4001", error.RuleId);
            StringAssert.Contains(error.Message, $"backend pid {blockerPid}");
            StringAssert.Contains(error.Message, "FOR UPDATE");
            StringAssert.Contains(error.Message, $"pg_terminate_backend({blockerPid})");
        }

        // Now the transaction ends while the runner retries: it gets the lock and records the retries.
        await using (var v1 = db.Context(nameof(ShopV1)))
        {
            var run = v1.Database.SafeMigrateAsync(options with { MaxRetries = 20 }, TestContext.CancellationToken);
            await Task.Delay(700, TestContext.CancellationToken);
            await transaction.CommitAsync(TestContext.CancellationToken);
            var result = await run;
            Assert.IsGreaterThan(0, result.Steps.Single().Retries);
        }

        await writing.CancelAsync();
        var (count, slowest) = await writes;
        Assert.IsTrue(await db.ColumnExistsAsync("customers", "tier"));
        Assert.IsGreaterThan(0, await db.ScalarAsync<int>("SELECT max(retries) FROM safemigrations.statements WHERE sql LIKE 'ALTER TABLE customers ADD tier%'"));
        TestContext.WriteLine($"{count} application writes during the contention; the slowest took {slowest.TotalMilliseconds:0} ms (lock_timeout {lockTimeout.TotalMilliseconds:0} ms)");
        Assert.IsLessThan(lockTimeout.TotalMilliseconds + 300, slowest.TotalMilliseconds, "no application write stalled much longer than lock_timeout");
    }

    [TestMethod]
    public async Task The_watchdog_cancels_a_statement_that_blocks_application_queries_and_reports_SM4007()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-watchdog");
        await using (var v1 = db.Context(nameof(ShopV1)))
        {
            await v1.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken);
        }

        using var reading = new CancellationTokenSource();
        var reads = ReadContinuouslyAsync(db.DataSource, reading.Token);
        await using (var slow = db.Context(nameof(ShopSlow)))
        {
            var error = await Assert.ThrowsExactlyAsync<SafeMigrationException>(() =>
                slow.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { WatchdogBudget = TimeSpan.FromMilliseconds(300), MaxRetries = 1 }), TestContext.CancellationToken));
            Assert.AreEqual("SM4007", error.RuleId);
            StringAssert.Contains(error.Message, "watchdog");
        }

        await reading.CancelAsync();
        var (count, slowest) = await reads;
        Assert.IsFalse(await db.ColumnExistsAsync("customers", "note"), "the cancelled migration was rolled back");
        TestContext.WriteLine($"{count} application reads; the slowest waited {slowest.TotalMilliseconds:0} ms (the statement would have held the table for 3 s)");
        Assert.IsLessThan(1500, slowest.TotalMilliseconds, "the watchdog freed the application well before the statement's 3 s");
    }

    private static Task<(int Count, TimeSpan Slowest)> WriteContinuouslyAsync(NpgsqlDataSource source, CancellationToken token) =>
        QueryContinuouslyAsync(source, "INSERT INTO customers (name) VALUES ('written while migrating')", TimeSpan.FromMilliseconds(10), token);

    private static Task<(int Count, TimeSpan Slowest)> ReadContinuouslyAsync(NpgsqlDataSource source, CancellationToken token) =>
        QueryContinuouslyAsync(source, "SELECT count(*) FROM customers", TimeSpan.FromMilliseconds(20), token);

    /// <summary>The application: one query after another on its own session until told to stop; how many, and the slowest.</summary>
    private static async Task<(int Count, TimeSpan Slowest)> QueryContinuouslyAsync(NpgsqlDataSource source, string sql, TimeSpan pause, CancellationToken token)
    {
        var count = 0;
        var slowest = TimeSpan.Zero;
        await using var connection = await source.OpenConnectionAsync(CancellationToken.None);
        while (!token.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            await using (var command = new NpgsqlCommand(sql, connection))
            {
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }

            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            count++;
            await Task.Delay(pause, CancellationToken.None);
        }

        return (count, slowest);
    }

    private static string DotnetPath() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
