using System.Diagnostics;
using Npgsql;
using SafeMigrations.EmbeddedPostgres;
using SafeMigrations.RuleExamples.Tests;

namespace LoadHarness;

/// <summary>The whole harness: the populated database once (as a template), then every scenario naive and safe.</summary>
public static class LoadRun
{
    public static async Task<string> RunAsync(IReadOnlyList<string> args, TextWriter log)
    {
        var options = LoadOptions.Parse(args);
        await using var server = await PostgresServer.StartAsync(options.ConnectionString);
        log.WriteLine($"{Environment.ProcessorCount} cores; {server.Description}; {options.Rows:N0} todo_items, {options.Users:N0} users; {options.Rate} requests/s per release");
        var clock = Stopwatch.StartNew();
        var template = await PopulateAsync(server, "load_template", options.Rows, options.Users);
        var probe = await PopulateAsync(server, "load_probe_template", 100, 10);
        log.WriteLine($"populated in {clock.Elapsed.TotalSeconds:0} s");

        var figures = new List<VariantFigures>();
        var scenario = new LoadScenario(server, Database(template), Database(probe), options);
        foreach (var chosen in Scenario.All.Where(s => options.Scenarios.Contains(s.RuleId)))
        {
            foreach (var safe in new[] { false, true })
            {
                var run = await scenario.RunAsync(chosen, safe);
                var f = new VariantFigures(run);
                figures.Add(f);
                log.WriteLine($"{chosen.RuleId} {run.Variant}: migration {run.MigrationSeconds:0.0} s, longest stall {f.LongestStallMs:0} ms, failed {f.Failed("previous")} / {f.Failed("new")}{(run.MigrationError is { } e ? ", migration failed: " + e.ReplaceLineEndings(" ") : string.Empty)}");
                if (options.PlotDirectory is { } plots)
                {
                    LoadReport.Plot(run, Path.Combine(plots, $"{chosen.RuleId}-{run.Variant}.png"));
                }
            }
        }

        if (options.Backfill)
        {
            var backfill = new BackfillScenario(server, Database(template), options);
            foreach (var variant in new[] { "one UPDATE", "batched", "batched, throttled" })
            {
                var (run, pauses) = await backfill.RunAsync(variant);
                var f = new VariantFigures(run);
                figures.Add(f);
                var reports = backfill.BurstWindow;
                log.WriteLine($"backfill {variant}: {run.MigrationSeconds:0.0} s, p99 {f.P99Before:0} ms before, {f.P99During:0} ms during ({f.P99During / Math.Max(f.P99Before, 1):0.0}x), "
                    + $"{(reports is null ? string.Empty : $"{f.P99Within(reports):0} ms while the reports ran ({f.P99Within(reports) / Math.Max(f.P99Before, 1):0.0}x), ")}longest stall {f.LongestStallMs:0} ms, {pauses} pause(s){(run.MigrationError is { } e ? ", failed: " + e.ReplaceLineEndings(" ") : string.Empty)}");
                if (options.PlotDirectory is { } plots)
                {
                    LoadReport.Plot(run, Path.Combine(plots, $"backfill-{variant.Replace(", ", "-", StringComparison.Ordinal).Replace(' ', '-')}.png"), reports);
                }
            }
        }

        await server.DropDatabaseAsync(template);
        await server.DropDatabaseAsync(probe);
        var table = LoadReport.Table(figures);
        log.WriteLine();
        log.WriteLine(table);
        log.WriteLine(options.PlotDirectory is { } written ? $"Plots: {Path.GetFullPath(written)}" : "No plots (--plots <dir> writes them).");
        return table;
    }

    /// <summary>The rule pages' fixture (users and their todo items), at the given size.</summary>
    private static async Task<string> PopulateAsync(PostgresServer server, string name, int rows, int users)
    {
        var connection = await server.CreateDatabaseAsync(name, null);
        await using var database = NpgsqlDataSource.Create(connection);
        var schema = FixtureSchema.Sql
            .Replace("generate_series(1, 200)", $"generate_series(1, {users})", StringComparison.Ordinal)
            .Replace("1 + i % 200", $"1 + i % {users}", StringComparison.Ordinal)
            .Replace("generate_series(1, 5000)", $"generate_series(1, {rows})", StringComparison.Ordinal);
        await using var command = database.CreateCommand(schema);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
        NpgsqlConnection.ClearAllPools();
        return connection;
    }

    private static string Database(string connection) => new NpgsqlConnectionStringBuilder(connection).Database!;
}
