using Microsoft.EntityFrameworkCore;
using SafeMigrations.Core.Runner;
using SafeMigrations.Runtime.Fixture;

namespace SafeMigrations.Runtime.Tests;

/// <summary>migrationBuilder.Backfill: batches that commit on their own, a cursor that survives a stop, and the same batches under EF's own Migrate().</summary>
[TestClass]
public sealed class BackfillTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task The_runner_backfills_in_short_batches_and_a_stopped_backfill_resumes_after_its_cursor()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-backfill");
        await using (var setup = db.Context(nameof(ShopBackfill)))
        {
            await setup.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { TargetMigration = "AddCustomerCode" }), TestContext.CancellationToken);
        }

        await db.ExecuteAsync("INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 20000) g");

        // Stopped after the first batches (a deploy cancelled, a pod evicted): the cursor keeps what was done.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        var batches = 0;
        var progress = new SynchronousProgress(p =>
        {
            if (p.Kind == MigrationProgressKind.Backfilled && ++batches == 3)
            {
                stop.Cancel();
            }
        });
        await using (var first = db.Context(nameof(ShopBackfill)))
        {
            await Assert.ThrowsAsync<OperationCanceledException>(() => first.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { Progress = progress }), stop.Token));
        }

        var done = await db.ScalarAsync<long>("SELECT rows FROM safemigrations.backfills");
        Assert.IsTrue(done is >= 1500 and < 20000, $"{done} rows done before the stop");
        Assert.AreEqual(done, await db.ScalarAsync<long>("SELECT count(*) FROM customers WHERE code IS NOT NULL"));

        // The next run resumes after the cursor and finishes; each batch held its row locks briefly.
        var reported = new List<long>();
        var resumed = new List<MigrationProgress>();
        await using (var next = db.Context(nameof(ShopBackfill)))
        {
            var result = await next.Database.SafeMigrateAsync(
                ShopDatabase.Options(new SafeMigrationOptions
                {
                    Progress = new SynchronousProgress(p =>
                    {
                        if (p.Kind == MigrationProgressKind.BackfillResumed)
                        {
                            resumed.Add(p);
                        }
                        else if (p.Rows is { } rows)
                        {
                            reported.Add(rows);
                        }
                    }),
                }), TestContext.CancellationToken);
            Assert.AreEqual("20260501000100_BackfillCustomerCode", result.Steps.Single().MigrationId);
            TestContext.WriteLine($"longest batch: {result.LongestBackfillBatch.TotalMilliseconds:0} ms for 500 rows");
            Assert.IsLessThan(TimeSpan.FromSeconds(1), result.LongestBackfillBatch);
        }

        Assert.AreEqual(done, resumed.Single().Rows, "the second run says it resumes, and from where");
        Assert.IsGreaterThan(done, reported[0], "the first batch of the second run counts on from the cursor");
        Assert.AreEqual(20000L, reported[^1]);
        Assert.AreEqual(0L, await db.ScalarAsync<long>("SELECT count(*) FROM customers WHERE code IS DISTINCT FROM 'C-' || id"));
        Assert.AreEqual(0L, await db.ScalarAsync<long>("SELECT count(*) FROM safemigrations.backfills"), "a finished migration leaves no cursor behind");
    }

    [TestMethod]
    public async Task EF_Migrate_runs_the_same_backfill_in_batches_that_each_commit()
    {
        await using var db = await ShopDatabase.CreateAsync("ef-backfill");
        await using var context = db.Context(nameof(ShopBackfill));
        await context.Database.MigrateAsync("20260501000000_AddCustomerCode", TestContext.CancellationToken);
        await db.ExecuteAsync("INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 3000) g");
        await context.Database.MigrateAsync(TestContext.CancellationToken);
        Assert.AreEqual(0L, await db.ScalarAsync<long>("SELECT count(*) FROM customers WHERE code IS DISTINCT FROM 'C-' || id"));
        // 3,000 rows in batches of 500 were committed in several transactions, not in one.
        var batches = (await db.ColumnAsync("SELECT count(*) FROM customers GROUP BY xmin::text ORDER BY min(id)")).Select(long.Parse).ToList();
        Assert.IsGreaterThanOrEqualTo(4, batches.Count, string.Join(",", batches));
        Assert.AreEqual(3000L, batches.Sum());
    }

    [TestMethod]
    public async Task The_DO_block_walks_a_named_key_or_the_primary_key_and_says_when_neither_exists()
    {
        await using var db = await ShopDatabase.CreateAsync("backfill-keys");
        await db.ExecuteAsync("CREATE TABLE events (id bigint PRIMARY KEY, seq bigint UNIQUE NOT NULL, note text); INSERT INTO events SELECT g, 100000 - g, NULL FROM generate_series(1, 1200) g; CREATE TABLE keyless (a int, note text)");
        BackfillSpec Spec(string table, string key, string set) => new(null, table, key, set, "note IS NULL", 500, 0);

        await db.ExecuteAsync(BackfillSql.Statement(Spec("events", "seq", "note = 'by seq'")));
        Assert.AreEqual(1200L, await db.ScalarAsync<long>("SELECT count(*) FROM events WHERE note = 'by seq'"));

        var missingKey = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync(BackfillSql.Statement(Spec("events", "nope", "note = 'x'"))));
        StringAssert.Contains(missingKey.MessageText, "Backfill of events: the table or its key column nope does not exist");
        var noPrimaryKey = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync(BackfillSql.Statement(Spec("keyless", string.Empty, "note = 'x'"))));
        StringAssert.Contains(noPrimaryKey.MessageText, "no single-column primary key: pass keyColumn");
    }

    [TestMethod]
    public async Task A_backfill_waits_while_the_applications_sessions_queue_on_locks_and_the_audit_trail_keeps_each_pause()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-throttle");
        await using (var setup = db.Context(nameof(ShopBackfill)))
        {
            await setup.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { TargetMigration = "AddCustomerCode" }), TestContext.CancellationToken);
        }

        await db.ExecuteAsync("INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 3000) g; CREATE TABLE app_queue (id int)");

        // The application suffers: one of its sessions holds a lock three others queue behind.
        await using var holder = new Npgsql.NpgsqlConnection(db.ConnectionString);
        await holder.OpenAsync(TestContext.CancellationToken);
        var holding = await holder.BeginTransactionAsync(TestContext.CancellationToken);
        await using (var take = new Npgsql.NpgsqlCommand("LOCK TABLE app_queue IN ACCESS EXCLUSIVE MODE", holder, holding))
        {
            await take.ExecuteNonQueryAsync(TestContext.CancellationToken);
        }

        var waiters = Enumerable.Range(0, 3).Select(_ => db.ScalarAsync<long>("SELECT count(*) FROM app_queue")).ToList();
        while (await db.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") < 3)
        {
            await Task.Delay(20, TestContext.CancellationToken);
        }

        // A pause longer than allowed fails the step and keeps everything: no batch ran.
        var limits = new ThrottleLimits { LockWaiters = 3, CheckInterval = TimeSpan.FromMilliseconds(50), MaxPause = TimeSpan.FromMilliseconds(300) };
        await using (var first = db.Context(nameof(ShopBackfill)))
        {
            var failed = await Assert.ThrowsAsync<SafeMigrationException>(() => first.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { Throttle = limits, MaxRetries = 0 }), TestContext.CancellationToken));
            StringAssert.Contains(failed.Message, "3 session(s) wait for locks (limit 3)");
            StringAssert.Contains(failed.Message, "apply again");
        }

        Assert.AreEqual(0L, await db.ScalarAsync<long>("SELECT count(*) FROM customers WHERE code IS NOT NULL"));

        // With room to wait, it pauses until the load is gone, then finishes.
        var kinds = new List<MigrationProgressKind>();
        await using (var next = db.Context(nameof(ShopBackfill)))
        {
            var run = next.Database.SafeMigrateAsync(
                ShopDatabase.Options(new SafeMigrationOptions { Throttle = limits with { MaxPause = TimeSpan.FromMinutes(1) }, Progress = new SynchronousProgress(p => { lock (kinds) { kinds.Add(p.Kind); } }) }),
                TestContext.CancellationToken);
            await Task.Delay(800, TestContext.CancellationToken);
            Assert.AreEqual(0L, await db.ScalarAsync<long>("SELECT count(*) FROM customers WHERE code IS NOT NULL"), "no batch while the application's sessions queue");
            await holding.RollbackAsync(TestContext.CancellationToken);
            await Task.WhenAll(waiters);
            await run;
        }

        Assert.AreEqual(0L, await db.ScalarAsync<long>("SELECT count(*) FROM customers WHERE code IS DISTINCT FROM 'C-' || id"));
        CollectionAssert.IsSubsetOf(new[] { MigrationProgressKind.Paused, MigrationProgressKind.Resumed }, kinds);
        Assert.IsLessThan(kinds.IndexOf(MigrationProgressKind.Backfilled), kinds.IndexOf(MigrationProgressKind.Resumed));
        var pauses = await db.ColumnAsync("SELECT duration_ms FROM safemigrations.pauses WHERE reason LIKE '3 session(s) wait for locks%' ORDER BY started_at");
        Assert.HasCount(2, pauses);
        Assert.IsGreaterThanOrEqualTo(750, double.Parse(pauses[1], System.Globalization.CultureInfo.InvariantCulture), "the second run waited until the lock was released");
        Assert.AreEqual("1", (await db.ColumnAsync("SELECT pauses FROM safemigrations.run_summary WHERE outcome = 'succeeded' AND migrations_applied = 1"))[0]);

        // safemig history shows them with the step they held back.
        await using var connection = await db.DataSource.OpenConnectionAsync(TestContext.CancellationToken);
        var step = (await MigrationAuditReader.ReadAsync(connection, 10, TestContext.CancellationToken)).First(e => e.Outcome == "applied" && e.MigrationId.EndsWith("BackfillCustomerCode", StringComparison.Ordinal));
        Assert.AreEqual(1L, step.Pauses);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(750), step.Paused);
    }

    [TestMethod]
    public async Task A_backfill_waits_while_a_streaming_replica_falls_behind_and_goes_on_as_it_catches_up()
    {
        // A primary and a real streaming standby that applies the WAL 1.5 s late (a replica struggling to keep up).
        await using var primary = await EmbeddedPostgres.EmbeddedPostgresCluster.StartAsync(cancellationToken: TestContext.CancellationToken);
        await using (var admin = new Npgsql.NpgsqlConnection(primary.ConnectionString))
        {
            await admin.OpenAsync(TestContext.CancellationToken);
            await using var create = new Npgsql.NpgsqlCommand("CREATE DATABASE shop", admin);
            await create.ExecuteNonQueryAsync(TestContext.CancellationToken);
        }

        await using var standby = await primary.StartStandbyAsync(
            new Dictionary<string, string> { ["recovery_min_apply_delay"] = "'1500ms'", ["wal_receiver_status_interval"] = "'1s'" }, TestContext.CancellationToken);
        await using var db = ShopDatabase.On(primary.GetConnectionString("shop"));
        Assert.AreEqual(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_stat_replication"), "the standby streams from the primary");
        await using (var setup = db.Context(nameof(ShopBackfill)))
        {
            await setup.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { TargetMigration = "AddCustomerCode" }), TestContext.CancellationToken);
        }

        await db.ExecuteAsync("INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 3000) g; CREATE TABLE heartbeat (at timestamptz)");

        // The application keeps writing, so the standby stays 1.5 s behind (pg_stat_replication measures the lag as
        // the standby applies what it was sent); wait until the primary has measured it.
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        var writer = Task.Run(async () =>
        {
            while (!writing.IsCancellationRequested)
            {
                await db.ExecuteAsync("INSERT INTO heartbeat VALUES (now())");
                await Task.Delay(50, CancellationToken.None);
            }
        });
        var measured = DateTime.UtcNow.AddSeconds(30);
        while (int.Parse((await db.ColumnAsync("SELECT coalesce(max(extract(epoch FROM replay_lag) * 1000), 0)::int FROM pg_stat_replication")).Single(), System.Globalization.CultureInfo.InvariantCulture) < 500)
        {
            Assert.IsLessThan(measured, DateTime.UtcNow, "the standby's lag was never measured");
            await Task.Delay(100, TestContext.CancellationToken);
        }

        // Only the replica limit: the backfill's batches (500 rows) wait while the standby is 500 ms or more behind,
        // and go on once the application stops writing and the standby has caught up.
        var limits = ThrottleLimits.Off with { ReplicaLag = TimeSpan.FromMilliseconds(500), CheckInterval = TimeSpan.FromMilliseconds(100), MaxPause = TimeSpan.FromMinutes(1) };
        var paused = new TaskCompletionSource();
        await using (var run = db.Context(nameof(ShopBackfill)))
        {
            var migrating = run.Database.SafeMigrateAsync(
                ShopDatabase.Options(new SafeMigrationOptions { Throttle = limits, Progress = new SynchronousProgress(p => { if (p.Kind == MigrationProgressKind.Paused) { paused.TrySetResult(); } }) }),
                TestContext.CancellationToken);
            await paused.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.CancellationToken);
            Assert.AreEqual(0L, await db.ScalarAsync<long>("SELECT count(*) FROM customers WHERE code IS NOT NULL"), "no batch while the standby is behind");
            await writing.CancelAsync();
            await writer;
            await migrating;
        }

        Assert.AreEqual(0L, await db.ScalarAsync<long>("SELECT count(*) FROM customers WHERE code IS DISTINCT FROM 'C-' || id"));
        var pauses = await db.ColumnAsync("SELECT reason || ', paused ' || round(duration_ms) || ' ms' FROM safemigrations.pauses ORDER BY started_at");
        TestContext.WriteLine(string.Join("\n", pauses));
        Assert.IsNotEmpty(pauses, "the lagging standby paused the backfill");
        Assert.IsTrue(pauses.All(p => p.StartsWith("a replica is ", StringComparison.Ordinal) && p.Contains("ms behind (limit 500 ms), paused ", StringComparison.Ordinal)), string.Join("\n", pauses));

        // The standby does get every batch, 1.5 s late.
        await using var replica = Npgsql.NpgsqlDataSource.Create(standby.GetConnectionString("shop"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        long replicated;
        do
        {
            await Task.Delay(200, TestContext.CancellationToken);
            await using var count = replica.CreateCommand("SELECT count(*) FROM customers WHERE code IS NOT NULL");
            replicated = (long)(await count.ExecuteScalarAsync(TestContext.CancellationToken))!;
        }
        while (replicated < 3000 && DateTime.UtcNow < deadline);
        Assert.AreEqual(3000L, replicated);
    }

    private sealed class SynchronousProgress(Action<MigrationProgress> report) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => report(value);
    }
}
