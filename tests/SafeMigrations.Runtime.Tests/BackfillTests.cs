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
        await using (var next = db.Context(nameof(ShopBackfill)))
        {
            var result = await next.Database.SafeMigrateAsync(
                ShopDatabase.Options(new SafeMigrationOptions { Progress = new SynchronousProgress(p => { if (p.Rows is { } rows) { reported.Add(rows); } }) }), TestContext.CancellationToken);
            Assert.AreEqual("20260501000100_BackfillCustomerCode", result.Steps.Single().MigrationId);
            TestContext.WriteLine($"longest batch: {result.LongestBackfillBatch.TotalMilliseconds:0} ms for 500 rows");
            Assert.IsLessThan(TimeSpan.FromSeconds(1), result.LongestBackfillBatch);
        }

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

    private sealed class SynchronousProgress(Action<MigrationProgress> report) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => report(value);
    }
}
