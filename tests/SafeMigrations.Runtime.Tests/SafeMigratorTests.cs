using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SafeMigrations.Core.Model;
using SafeMigrations.Runtime.Fixture;

namespace SafeMigrations.Runtime.Tests;

/// <summary>The runner on a real PostgreSQL: EF's SQL and history, the audit trail, checksums, order, failures, integrity, phases, backups, rollback.</summary>
[TestClass]
public sealed class SafeMigratorTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Applies_EF_migrations_keeps_EF_history_right_and_records_each_statement_in_the_audit_trail()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-apply");
        await using (var context = db.Context(nameof(ShopV1)))
        {
            var result = await context.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken);
            CollectionAssert.AreEqual(
                new[] { "20260101000000_CreateCustomers", "20260101000100_AddOrders", "20260101000200_AddEmailIndex", "20260101000300_AddCustomerTier" },
                result.Steps.Select(s => s.MigrationId).ToList());
            // EF agrees: nothing pending, and its own history lists all four.
            Assert.IsEmpty((await context.Database.GetPendingMigrationsAsync(TestContext.CancellationToken)).ToList());
        }

        CollectionAssert.AreEqual(new[] { "20260101000000_CreateCustomers", "20260101000100_AddOrders", "20260101000200_AddEmailIndex", "20260101000300_AddCustomerTier" }, await db.HistoryAsync());
        Assert.IsTrue(await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_customers_email'::regclass"));
        Assert.AreEqual(4L, await db.ScalarAsync<long>("SELECT count(*) FROM safemigrations.migrations WHERE direction = 'up' AND outcome = 'applied'"));
        Assert.AreEqual(1L, await db.ScalarAsync<long>("SELECT count(*) FROM safemigrations.statements WHERE sql LIKE 'CREATE INDEX CONCURRENTLY%' AND NOT in_transaction"));
        Assert.AreEqual("succeeded", await db.ScalarAsync<string>("SELECT outcome FROM safemigrations.runs"));
        Assert.AreEqual(Environment.UserName, await db.ScalarAsync<string>("SELECT applied_by FROM safemigrations.runs"));
        // The runner leaves no timeout behind on the pooled session, and a second run has nothing to do.
        await using (var again = db.Context(nameof(ShopV1)))
        {
            Assert.IsEmpty((await again.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken)).Steps);
        }
    }

    [TestMethod]
    public async Task An_applied_migration_whose_SQL_changed_is_refused_with_SM4004_unless_accepted()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-checksum");
        await using (var v1 = db.Context(nameof(ShopV1)))
        {
            await v1.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken);
        }

        await using var edited = db.Context(nameof(ShopEdited));
        var error = await Assert.ThrowsExactlyAsync<SafeMigrationException>(() => edited.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken));
        Assert.AreEqual("SM4004", error.RuleId);
        StringAssert.Contains(error.Message, "20260101000300_AddCustomerTier");
        StringAssert.Contains(error.Message, "new migration");
        Assert.AreEqual("failed", await db.ScalarAsync<string>("SELECT outcome FROM safemigrations.runs ORDER BY started_at DESC LIMIT 1"));

        var accepted = await edited.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { AcceptChecksumChanges = true }), TestContext.CancellationToken);
        Assert.IsTrue(accepted.Notes.Any(n => n.Contains("20260101000300_AddCustomerTier", StringComparison.Ordinal) && n.Contains("accepted", StringComparison.Ordinal)));
        // Accepted once, it is the recorded checksum from now on.
        Assert.IsEmpty((await edited.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken)).Steps);
    }

    [TestMethod]
    public async Task A_late_merged_migration_is_refused_as_out_of_order_unless_allowed()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-order");
        await using (var v1 = db.Context(nameof(ShopV1)))
        {
            await v1.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken);
        }

        await using var late = db.Context(nameof(ShopLateMerge));
        var error = await Assert.ThrowsExactlyAsync<SafeMigrationException>(() => late.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken));
        Assert.AreEqual("SM3002", error.RuleId);
        StringAssert.Contains(error.Message, "20260101000150_AddUniqueNameLate");
        Assert.HasCount(4, await db.HistoryAsync());

        var allowed = await late.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { AllowOutOfOrder = true }), TestContext.CancellationToken);
        Assert.AreEqual("20260101000150_AddUniqueNameLate", allowed.Steps.Single().MigrationId);
    }

    [TestMethod]
    public async Task A_failing_migration_leaves_the_database_as_before_it_and_the_audit_names_the_statement()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-failure");
        await using (var v1 = db.Context(nameof(ShopV1)))
        {
            await v1.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken);
        }

        await db.ExecuteAsync("INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 500) g");
        var before = await db.CustomersDigestAsync();
        await using var broken = db.Context(nameof(ShopBroken));
        var error = await Assert.ThrowsExactlyAsync<SafeMigrationException>(() => broken.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken));
        Assert.AreEqual("20260301000000_AddScore", error.MigrationId);
        StringAssert.Contains(error.Message, "division by zero");
        StringAssert.Contains(error.FailingStatement!, "1 / (id - id)");
        Assert.IsFalse(await db.ColumnExistsAsync("customers", "score"), "the migration's ADD COLUMN was rolled back with it");
        Assert.HasCount(4, await db.HistoryAsync());
        Assert.AreEqual(before, await db.CustomersDigestAsync());
        StringAssert.Contains(await db.ScalarAsync<string>("SELECT failing_statement FROM safemigrations.migrations WHERE outcome = 'failed'"), "1 / (id - id)");
    }

    [TestMethod]
    public async Task Duplicates_under_a_new_unique_index_stop_the_migration_before_it_locks_anything_and_a_failed_check_rolls_the_run_back()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-integrity");
        await using (var v1 = db.Context(nameof(ShopV1)))
        {
            await v1.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { TargetMigration = "AddOrders" }), TestContext.CancellationToken);
        }

        await db.ExecuteAsync("INSERT INTO customers (name) VALUES ('ada'), ('ada'), ('grace')");
        await using (var unique = db.Context(nameof(ShopUniqueName)))
        {
            var error = await Assert.ThrowsExactlyAsync<SafeMigrationException>(() => unique.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken));
            Assert.AreEqual("SM4002", error.RuleId);
            StringAssert.Contains(error.Message, "1 groups of rows of customers share (name)");
            Assert.IsTrue(error.RolledBack, "the run's earlier migrations (index, tier) are reversible and were rolled back");
        }

        // Rolled back to where the run started.
        Assert.HasCount(2, await db.HistoryAsync());
        Assert.IsFalse(await db.ColumnExistsAsync("customers", "tier"));

        // A user-declared check failing after a migration rolls the run back too.
        await using var v1Again = db.Context(nameof(ShopV1));
        var check = IntegrityCheck.NoRows("no customer without a tier above zero", "SELECT 1 FROM customers WHERE to_jsonb(customers) ? 'tier' AND (to_jsonb(customers)->>'tier')::int < 1");
        var failed = await Assert.ThrowsExactlyAsync<SafeMigrationException>(() =>
            v1Again.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { IntegrityChecks = [check] }), TestContext.CancellationToken));
        Assert.AreEqual("SM4002", failed.RuleId);
        StringAssert.Contains(failed.Message, "no customer without a tier above zero");
        Assert.IsTrue(failed.RolledBack);
        Assert.HasCount(2, await db.HistoryAsync());
    }

    [TestMethod]
    public async Task Phases_split_a_release_and_a_dropped_column_is_backed_up_and_rollback_refuses_it_without_force()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-phases");
        await using (var v1 = db.Context(nameof(ShopV1)))
        {
            await v1.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken);
        }

        await db.ExecuteAsync("INSERT INTO customers (name, legacy_code) SELECT 'c' || g, 'L' || g FROM generate_series(1, 1000) g");
        await using var v2 = db.Context(nameof(ShopV2));
        var refused = await Assert.ThrowsExactlyAsync<SafeMigrationException>(() =>
            v2.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { Phase = MigrationPhase.Contract }), TestContext.CancellationToken));
        StringAssert.Contains(refused.Message, "--phase expand");

        var expand = await v2.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { Phase = MigrationPhase.Expand }), TestContext.CancellationToken);
        Assert.AreEqual("20260201000000_BackfillEmail", expand.Steps.Single().MigrationId);
        CollectionAssert.AreEqual(new[] { "20260201000100_RequireEmail" }, expand.Remaining.ToList());
        Assert.AreEqual(0L, await db.ScalarAsync<long>("SELECT count(*) FROM customers WHERE email IS NULL"));

        var contract = await v2.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { Phase = MigrationPhase.Contract }), TestContext.CancellationToken);
        Assert.AreEqual(MigrationPhase.Contract, contract.Steps.Single().Phase);
        var kept = contract.Notes.Single(n => n.Contains("customers.legacy_code", StringComparison.Ordinal));
        StringAssert.Contains(kept, "backed up in schema safemigrations_backup, readable only by the role that runs migrations, kept 30 days");
        StringAssert.Contains(kept, "'dotnet safemig restore --migration RequireEmail'");
        Assert.IsFalse(await db.ColumnExistsAsync("customers", "legacy_code"));
        var backup = await db.ScalarAsync<string>("SELECT backup_table FROM safemigrations.backups WHERE migration_id = '20260201000100_RequireEmail' AND column_name = 'legacy_code'");
        StringAssert.StartsWith(backup, "20260201000100_RequireEmail_customers_legacy_code_");
        Assert.AreEqual(1000L, await db.ScalarAsync<long>($"SELECT count(legacy_code) FROM safemigrations_backup.\"{backup}\""));

        // Rolling the drop back would bring the column back empty: refused without force, and says why.
        var irreversible = await Assert.ThrowsExactlyAsync<SafeMigrationException>(() => v2.Database.SafeRollbackAsync("BackfillEmail", options: ShopDatabase.Options(), cancellationToken: TestContext.CancellationToken));
        StringAssert.Contains(irreversible.Message, "dropped column customers.legacy_code: Down re-creates it empty, and 1,000 rows hold a value in safemigrations_backup.");
        await v2.Database.SafeRollbackAsync("BackfillEmail", force: true, ShopDatabase.Options(), TestContext.CancellationToken);
        Assert.IsTrue(await db.ColumnExistsAsync("customers", "legacy_code"));
        Assert.AreEqual(0L, await db.ScalarAsync<long>("SELECT count(legacy_code) FROM customers"));

        var restored = await BackupRestorer.RestoreAsync(db.DataSource, "20260201000100_RequireEmail", TestContext.CancellationToken);
        Assert.AreEqual(1000L, restored);
        Assert.AreEqual(1000L, await db.ScalarAsync<long>("SELECT count(*) FROM customers WHERE legacy_code = 'L' || substr(name, 2)"));
    }

    [TestMethod]
    public async Task A_rollback_names_the_values_Down_would_drop_and_forced_backs_them_up_for_restore_after_the_next_apply()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-down-backup");
        await using var v1 = db.Context(nameof(ShopV1));
        await v1.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken);
        await db.ExecuteAsync("INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 300) g; UPDATE customers SET tier = id % 5 + 1");

        // The Down of AddCustomerTier drops a column holding 300 values: refused, and said with the count.
        var refused = await Assert.ThrowsExactlyAsync<SafeMigrationException>(() => v1.Database.SafeRollbackAsync("AddEmailIndex", options: ShopDatabase.Options(), cancellationToken: TestContext.CancellationToken));
        Assert.AreEqual("SM4009", refused.RuleId);
        StringAssert.Contains(refused.Message, "20260101000300_AddCustomerTier's Down drops column customers.tier, where 300 rows hold a value");
        Assert.IsTrue(await db.ColumnExistsAsync("customers", "tier"), "nothing was rolled back");

        // Forced: backed up in the Down's transaction, and the result says where and how to get it back.
        var forced = await v1.Database.SafeRollbackAsync("AddEmailIndex", force: true, ShopDatabase.Options(), TestContext.CancellationToken);
        Assert.IsFalse(await db.ColumnExistsAsync("customers", "tier"));
        var note = forced.Notes.Single(n => n.Contains("customers.tier", StringComparison.Ordinal));
        StringAssert.Contains(note, "backed up in safemigrations_backup.20260101000300_AddCustomerTier_customers_tier_");
        StringAssert.Contains(note, "'dotnet safemig restore --migration AddCustomerTier'");
        Assert.AreEqual("down", await db.ScalarAsync<string>("SELECT taken_by FROM safemigrations.backups WHERE migration_id = '20260101000300_AddCustomerTier'"));

        // Restoring before the column exists again says what to do first; after the next apply, by name, every value comes back.
        var early = await Assert.ThrowsExactlyAsync<SafeMigrationException>(() => BackupRestorer.RestoreAsync(db.DataSource, "AddCustomerTier", TestContext.CancellationToken));
        StringAssert.Contains(early.Message, "apply 20260101000300_AddCustomerTier again first");
        await v1.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken);
        Assert.AreEqual(300L, await db.ScalarAsync<long>("SELECT count(*) FROM customers WHERE tier = 0"), "applied again, the column is back with its default");
        Assert.AreEqual(300L, await BackupRestorer.RestoreAsync(db.DataSource, "AddCustomerTier", TestContext.CancellationToken));
        Assert.AreEqual(300L, await db.ScalarAsync<long>("SELECT count(*) FROM customers WHERE tier = id % 5 + 1"));

        // safemig backups: listed with what, when, rows and size; purged by the migration's name, and gone for good.
        await using (var connection = await db.DataSource.OpenConnectionAsync(TestContext.CancellationToken))
        {
            var backup = (await BackupCatalog.ListAsync(connection, TestContext.CancellationToken)).Single();
            Assert.AreEqual(("20260101000300_AddCustomerTier", "customers", "tier", "down", 300L), (backup.MigrationId, backup.SourceTable, backup.Column, backup.TakenBy, backup.Rows));
            Assert.IsGreaterThan(0L, backup.Bytes);
            Assert.AreEqual(0, await BackupCatalog.PurgeOlderThanAsync(connection, TimeSpan.FromDays(1), TestContext.CancellationToken), "it is minutes old");
            Assert.AreEqual(1, await BackupCatalog.PurgeMigrationAsync(connection, "AddCustomerTier", TestContext.CancellationToken));
            Assert.IsEmpty(await BackupCatalog.ListAsync(connection, TestContext.CancellationToken));
        }

        Assert.AreEqual(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'safemigrations_backup'"));
        Assert.IsFalse(await db.ScalarAsync<bool>("SELECT has_schema_privilege('public', 'safemigrations_backup', 'USAGE')"), "the backup schema is not PUBLIC's");

        // A migration whose Down drops an empty column loses nothing: not refused.
        await db.ExecuteAsync("DELETE FROM customers");
        await v1.Database.SafeRollbackAsync("AddEmailIndex", options: ShopDatabase.Options(), cancellationToken: TestContext.CancellationToken);
        Assert.IsFalse(await db.ColumnExistsAsync("customers", "tier"));
        Assert.AreEqual(0L, await db.ScalarAsync<long>("SELECT count(*) FROM safemigrations.backups"), "nothing to keep: no empty backup");
    }

    [TestMethod]
    public async Task A_migration_that_declines_backups_drops_without_one_and_says_why()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-decline-backup");
        await using var erase = db.Context(nameof(ShopErase));
        await erase.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { TargetMigration = "CreateCustomers" }), TestContext.CancellationToken);
        await db.ExecuteAsync("INSERT INTO customers (name, legacy_code) SELECT 'c' || g, 'L' || g FROM generate_series(1, 100) g");

        var result = await erase.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken);

        Assert.IsFalse(await db.ColumnExistsAsync("customers", "legacy_code"));
        StringAssert.Contains(result.Notes.Single(n => n.Contains("legacy_code", StringComparison.Ordinal)), "without a backup: it declines them ([DeclineBackup]: legacy codes are personal data, erased under the retention policy)");
        Assert.AreEqual(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'safemigrations_backup'"), "the erased values live on nowhere");
    }

    [TestMethod]
    public async Task Rollback_runs_Down_newest_first_and_EF_sees_the_migrations_pending_again()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-rollback");
        await using var v1 = db.Context(nameof(ShopV1));
        await v1.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken);
        var result = await v1.Database.SafeRollbackAsync("AddOrders", options: ShopDatabase.Options(), cancellationToken: TestContext.CancellationToken);
        CollectionAssert.AreEqual(new[] { "20260101000300_AddCustomerTier", "20260101000200_AddEmailIndex" }, result.Steps.Select(s => s.MigrationId).ToList());
        Assert.IsTrue(result.Steps.All(s => s.Direction == MigrationDirection.Down));
        Assert.IsFalse(await db.ColumnExistsAsync("customers", "tier"));
        Assert.IsFalse(await db.ScalarAsync<bool>("SELECT to_regclass('ix_customers_email') IS NOT NULL"));
        CollectionAssert.AreEqual(new[] { "20260101000200_AddEmailIndex", "20260101000300_AddCustomerTier" }, (await v1.Database.GetPendingMigrationsAsync(TestContext.CancellationToken)).ToList());
        Assert.AreEqual(2L, await db.ScalarAsync<long>("SELECT count(*) FROM safemigrations.migrations WHERE direction = 'down' AND outcome = 'applied'"));
    }

    [TestMethod]
    public async Task AddSafeMigrations_applies_the_migrations_when_the_host_starts_with_the_options_given()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-hosted");
        var services = new ServiceCollection();
        services.AddScoped(_ => (ShopV1)db.Context(nameof(ShopV1)));
        services.AddSafeMigrations<ShopV1>(options => ShopDatabase.Options(options) with { TargetMigration = "AddOrders" });
        await using var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(TestContext.CancellationToken);
        }

        CollectionAssert.AreEqual(new[] { "20260101000000_CreateCustomers", "20260101000100_AddOrders" }, await db.HistoryAsync());
        Assert.AreEqual("startup", await db.ScalarAsync<string>("SELECT command FROM safemigrations.runs"));
    }

    [TestMethod]
    public async Task A_migration_that_throws_is_reported_before_any_of_it_runs_and_the_ones_before_it_stay_applied()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-throwing");
        await using var context = db.Context(nameof(ShopThrowing));
        var error = await Assert.ThrowsExactlyAsync<SafeMigrationException>(() => context.Database.SafeMigrateAsync(ShopDatabase.Options(), TestContext.CancellationToken));
        Assert.AreEqual("20260601000000_Unfinished", error.MigrationId);
        StringAssert.Contains(error.Message, "InvalidOperationException: unfinished migration");
        StringAssert.Contains(error.Message, "Nothing of it ran");
        CollectionAssert.AreEqual(new[] { "20260101000000_CreateCustomers", "20260101000100_AddOrders" }, await db.HistoryAsync());
        Assert.AreEqual("failed", await db.ScalarAsync<string>("SELECT outcome FROM safemigrations.runs"));
    }

    [TestMethod]
    public async Task A_wrong_password_gets_one_clear_error_that_never_shows_the_password_nor_logs_it()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-password");
        var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Password = "S3cret-Pa55word", Username = "nobody_here" };
        await using var context = ShopContexts.Create(nameof(ShopV1), builder.ConnectionString);
        var logged = new CollectingLogger();
        var error = await Assert.ThrowsAsync<Exception>(() => context.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { Logger = logged }), TestContext.CancellationToken));
        Assert.DoesNotContain("S3cret-Pa55word", error.ToString());
        Assert.DoesNotContain("S3cret-Pa55word", string.Join("\n", logged.Lines));
        StringAssert.Contains(error.Message, "nobody_here");
    }

    [TestMethod]
    public async Task A_failing_health_probe_rolls_the_run_back_and_the_run_is_traced_and_measured()
    {
        await using var db = await ShopDatabase.CreateAsync("runner-probe");
        var spans = new List<string>();
        var measured = new List<string>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == SafeMigrationsTelemetry.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity.DisplayName); } },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var meters = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == SafeMigrationsTelemetry.Name) { l.EnableMeasurementEvents(instrument); } },
        };
        meters.SetMeasurementEventCallback<double>((instrument, _, _, _) => { lock (measured) { measured.Add(instrument.Name); } });
        meters.SetMeasurementEventCallback<long>((instrument, _, _, _) => { lock (measured) { measured.Add(instrument.Name); } });
        meters.Start();

        await using (var v1 = db.Context(nameof(ShopV1)))
        {
            await v1.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { TargetMigration = "AddOrders" }), TestContext.CancellationToken);
            var failed = await Assert.ThrowsExactlyAsync<SafeMigrationException>(() =>
                v1.Database.SafeMigrateAsync(ShopDatabase.Options(new SafeMigrationOptions { HealthProbe = _ => Task.FromResult(false) }), TestContext.CancellationToken));
            Assert.AreEqual("SM4002", failed.RuleId);
            StringAssert.Contains(failed.Message, "the health probe returned false");
            Assert.IsTrue(failed.RolledBack);
        }

        Assert.HasCount(2, await db.HistoryAsync());
        lock (spans)
        {
            CollectionAssert.Contains(spans, "migration 20260101000300_AddCustomerTier");
            CollectionAssert.Contains(spans, "statement");
            CollectionAssert.Contains(spans, "apply");
        }

        lock (measured)
        {
            foreach (var instrument in new[] { "safemigrations.statement.duration", "safemigrations.migration.duration", "safemigrations.lock.wait", "safemigrations.migrations" })
            {
                CollectionAssert.Contains(measured, instrument);
            }
        }
    }

    private sealed class CollectingLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add(formatter(state, exception) + exception);
            }
        }
    }
}
