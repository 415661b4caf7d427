using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using SafeMigrations.Core.Runner;
using SafeMigrations.EmbeddedPostgres;
using SafeMigrations.Runtime;

namespace LoadHarness;

/// <summary>
/// A backfill of every row while the application runs: one UPDATE through EF's Migrate() against the runner's
/// batched backfill (migrationBuilder.Backfill), without and with throttling. Throttled, the runner pauses between
/// batches while the application's sessions queue on locks or are busy (<see cref="ThrottleLimits"/>).
/// </summary>
internal sealed class BackfillScenario(PostgresServer server, string template, LoadOptions options)
{
    public static readonly Scenario Backfill = new("backfill", "backfill every row");

    /// <summary>The limits of the throttled variant: a single waiter or two busy sessions of the application pause it.</summary>
    public static readonly ThrottleLimits Throttled = new() { LockWaiters = 1, ActiveSessions = 2, CheckInterval = TimeSpan.FromMilliseconds(100) };

    /// <summary>Three sessions running a reporting query over the whole table, again and again, for <paramref name="length"/>.</summary>
    private static async Task ReportsAsync(NpgsqlDataSource database, TimeSpan length)
    {
        var until = DateTime.UtcNow + length;
        await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            while (DateTime.UtcNow < until)
            {
                await using var report = database.CreateCommand("SELECT count(*), avg(length(title)) FROM todo_items WHERE description LIKE '%7%'");
                report.CommandTimeout = 120;
                await report.ExecuteScalarAsync();
            }
        }));
    }

    private const string Setup = "ALTER TABLE todo_items ADD COLUMN reviewer_id bigint NULL";

    /// <summary>When the application's reports ran during the last variant, in seconds from its start.</summary>
    public Window? BurstWindow { get; private set; }

    public async Task<(VariantRun Run, int Pauses)> RunAsync(string variant)
    {
        var block = variant == "one UPDATE"
            ? "migrationBuilder.Sql(\"UPDATE todo_items SET reviewer_id = user_id WHERE reviewer_id IS NULL;\");"
            : "migrationBuilder.Backfill(table: \"todo_items\", keyColumn: null, set: \"reviewer_id = user_id\", where: \"reviewer_id IS NULL\", batchSize: 5000);";
        var migrations = PageMigrations.Compile("Backfill" + variant.Replace(" ", string.Empty, StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal), [block], null);
        var connection = await server.CreateDatabaseAsync("load_backfill", template);
        try
        {
            await using var database = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(connection) { MaxPoolSize = 40, Timeout = 30 }.ConnectionString).Build();
            await using (var command = database.CreateCommand(Setup))
            {
                await command.ExecuteNonQueryAsync();
            }

            var records = new ConcurrentBag<RequestRecord>();
            var clock = Stopwatch.StartNew();
            var columns = await ReleaseClients.ColumnsAsync(database);
            var app = ReleaseClients.Start("previous", database, columns, [], options.Rate, options.Users, options.Rows, clock, records);
            await Task.Delay(options.Baseline);
            var baselineEnd = clock.Elapsed.TotalSeconds;
            var start = clock.Elapsed.TotalSeconds;
            // Three seconds in, the application gets busy for eight: three reports scan the table at once, as a
            // dashboard refreshing might. Throttled, the backfill pauses while they run (two or more active sessions).
            var migrate = migrations.ApplyAsync(connection, variant == "one UPDATE" ? null
                : new SafeMigrationOptions { Command = "load", Throttle = variant.EndsWith("throttled", StringComparison.Ordinal) ? Throttled : ThrottleLimits.Off });
            await Task.WhenAny(migrate, Task.Delay(TimeSpan.FromSeconds(3)));
            var burstStart = clock.Elapsed.TotalSeconds;
            var bursting = !migrate.IsCompleted;
            var burst = bursting ? ReportsAsync(database, TimeSpan.FromSeconds(8)) : Task.CompletedTask;
            var error = await migrate;
            await burst;
            BurstWindow = bursting ? new Window(burstStart, clock.Elapsed.TotalSeconds < burstStart + 8 ? clock.Elapsed.TotalSeconds : burstStart + 8, "reports") : null;
            var window = new Window(start, clock.Elapsed.TotalSeconds, "backfill");
            await Task.Delay(options.Overlap);
            await app.StopAsync();
            long pauses = 0;
            await using (var exists = database.CreateCommand("SELECT to_regclass('safemigrations.pauses') IS NOT NULL"))
            {
                if ((bool)(await exists.ExecuteScalarAsync())!)
                {
                    await using var count = database.CreateCommand("SELECT count(*) FROM safemigrations.pauses");
                    pauses = (long)(await count.ExecuteScalarAsync())!;
                }
            }

            return (new VariantRun(Backfill, variant, baselineEnd, [window], [.. records.OrderBy(r => r.DueSeconds)], error), (int)pauses);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.DropDatabaseAsync(connection);
        }
    }
}
