using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RunnerThroughput;
using SafeMigrations.EmbeddedPostgres;
using SafeMigrations.Runtime;

// The runner's cost, measured side by side in one run (a throwaway embedded PostgreSQL unless
// SAFEMIGRATIONS_CONNECTION_STRING names a server):
//   1. 300 small migrations (a table with a key and an index each) on an empty database: EF Core's
//      MigrateAsync() against SafeMigrateAsync() (advisory lock, timeouts, watch, audit, checks);
//      pairs alternate which side runs first; medians.
//   2. 2,000,000 rows: one UPDATE against migrationBuilder.Backfill in batches (5,000 rows): throughput
//      ratio, and the longest any row lock was held (the single UPDATE holds all of them until it commits).
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("dotnet run --project bench/RunnerThroughput -c Release -- [--pairs 5] [--migrations 300] [--rows 2000000] [--batch 5000]\nThe runner against EF Core's MigrateAsync on many small migrations, and migrationBuilder.Backfill against one UPDATE.");
    return;
}

var pairs = int.Parse(Arg("--pairs") ?? "5", CultureInfo.InvariantCulture);
var rows = int.Parse(Arg("--rows") ?? "2000000", CultureInfo.InvariantCulture);
SyntheticMigrationsAssembly.Count = int.Parse(Arg("--migrations") ?? "300", CultureInfo.InvariantCulture);
BackfillContext.BatchSize = int.Parse(Arg("--batch") ?? "5000", CultureInfo.InvariantCulture);
await using var server = await PostgresServer.StartAsync(Environment.GetEnvironmentVariable("SAFEMIGRATIONS_CONNECTION_STRING"));
Console.WriteLine($"{Environment.ProcessorCount} cores; {SyntheticMigrationsAssembly.Count} migrations, {pairs} timed pairs (+1 warm-up); backfill of {rows:N0} rows in batches of {BackfillContext.BatchSize:N0}");

var ef = new List<double>();
var runner = new List<double>();
for (var pair = 0; pair <= pairs; pair++)
{
    foreach (var side in pair % 2 == 0 ? new[] { "ef", "runner" } : ["runner", "ef"])
    {
        var connection = await server.CreateDatabaseAsync("bench", CancellationToken.None);
        await using (var context = new SyntheticContext(connection))
        {
            var clock = Stopwatch.StartNew();
            if (side == "ef")
            {
                await context.Database.MigrateAsync();
            }
            else
            {
                var result = await context.Database.SafeMigrateAsync(new SafeMigrationOptions());
                if (result.Steps.Count != SyntheticMigrationsAssembly.Count)
                {
                    throw new InvalidOperationException($"the runner applied {result.Steps.Count} migrations");
                }
            }

            clock.Stop();
            if (pair > 0)
            {
                (side == "ef" ? ef : runner).Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        NpgsqlConnection.ClearAllPools();
        await server.DropDatabaseAsync(connection);
    }
}

Console.WriteLine($"migrations: EF MigrateAsync median {Median(ef):N0} ms, SafeMigrateAsync median {Median(runner):N0} ms, ratio {Median(runner) / Median(ef):0.00}x (target <= 1.2x)");
Console.WriteLine($"  EF runs: {string.Join(", ", ef.Select(v => v.ToString("N0", CultureInfo.InvariantCulture)))}; runner runs: {string.Join(", ", runner.Select(v => v.ToString("N0", CultureInfo.InvariantCulture)))}");

// 2. The backfill: two identical tables, one updated in one statement, the other by the runner in batches.
var database = await server.CreateDatabaseAsync("backfill", CancellationToken.None);
await using (var source = NpgsqlDataSource.Create(database))
{
    foreach (var table in new[] { "bench_rows_single", "bench_rows_batched" })
    {
        await Execute(source, $"CREATE TABLE {table} (id bigint PRIMARY KEY, v integer NOT NULL, flag integer)");
        await Execute(source, $"INSERT INTO {table} (id, v) SELECT g, g % 1000 FROM generate_series(1, {rows}) g");
        await Execute(source, $"VACUUM ANALYZE {table}");
    }

    var single = Stopwatch.StartNew();
    await Execute(source, "UPDATE bench_rows_single SET flag = v * 2 WHERE flag IS NULL");
    single.Stop();

    MigrationRunResult backfill;
    var batched = Stopwatch.StartNew();
    await using (var context = new BackfillContext(database))
    {
        backfill = await context.Database.SafeMigrateAsync(new SafeMigrationOptions());
    }

    batched.Stop();
    await using (var check = source.CreateCommand("SELECT count(*) FROM bench_rows_batched WHERE flag IS DISTINCT FROM v * 2"))
    {
        if ((long)(await check.ExecuteScalarAsync())! != 0)
        {
            throw new InvalidOperationException("the backfill left rows undone");
        }
    }

    var singleRate = rows / single.Elapsed.TotalSeconds;
    var batchedRate = rows / batched.Elapsed.TotalSeconds;
    Console.WriteLine($"backfill: one UPDATE {single.Elapsed.TotalSeconds:0.0} s ({singleRate:N0} rows/s, every row locked for all of it); " +
        $"batched {batched.Elapsed.TotalSeconds:0.0} s ({batchedRate:N0} rows/s, whole run incl. the runner's start); throughput ratio {batchedRate / singleRate:0.00}x (target >= 0.6x); " +
        $"longest batch (row locks held) {backfill.LongestBackfillBatch.TotalMilliseconds:0} ms (target <= 100 ms)");
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static async Task Execute(NpgsqlDataSource source, string sql)
{
    await using var command = source.CreateCommand(sql);
    command.CommandTimeout = 0;
    await command.ExecuteNonQueryAsync();
}

static string? Arg(string name)
{
    var args = Environment.GetCommandLineArgs();
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
