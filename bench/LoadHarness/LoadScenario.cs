using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using SafeMigrations.EmbeddedPostgres;
using SafeMigrations.RuleExamples.Tests;
using SafeMigrations.Runtime;

namespace LoadHarness;

/// <summary>A change an application makes, as its rule page shows it: the violating example (what `dotnet ef migrations add` scaffolds) and the safe recipe.</summary>
internal sealed record Scenario(string RuleId, string Name)
{
    public static readonly IReadOnlyList<Scenario> All =
    [
        new("SM1001", "add an index"),
        new("SM1004", "add a required column with a backfill"),
        new("SM1013", "add a foreign key"),
        new("SM1015", "add a unique constraint"),
        new("SM1006", "change a column's type"),
        new("SM1009", "rename a column"),
        new("SM1011", "drop a column over two releases"),
    ];
}

/// <summary>A window of the run in which migrations were applying, in seconds from its start.</summary>
internal sealed record Window(double Start, double End, string What);

/// <summary>What one variant (naive or safe) of a scenario did to the application.</summary>
internal sealed record VariantRun(Scenario Scenario, string Variant, double BaselineEnd, IReadOnlyList<Window> Migrations, IReadOnlyList<RequestRecord> Requests, string? MigrationError)
{
    public double MigrationSeconds => Migrations.Sum(w => w.End - w.Start);
}

/// <summary>
/// Runs a scenario's variant on a fresh copy of the populated database, under load:
/// the previous release alone (baseline); the expand migration while it runs; the new release starts once the
/// migration is done and both run side by side, as in a rolling deploy; for a safe recipe with steps that ship
/// after a release (contract), the previous release then stops and they apply with the new release alone.
/// Naive: the violating example through EF Core's MigrateAsync(). Safe: the recipe through the runner.
/// </summary>
internal sealed class LoadScenario(PostgresServer server, string template, string probeTemplate, LoadOptions options)
{
    public async Task<VariantRun> RunAsync(Scenario scenario, bool safe)
    {
        var page = RulePage.Load(scenario.RuleId);
        var blocks = safe ? page.Recipe.Select(s => s.Code).ToList() : [page.Violating!];
        var migrations = PageMigrations.Compile(scenario.RuleId + (safe ? "Safe" : "Naive"), blocks, page.TargetModel);
        var firstContract = safe ? page.Recipe.ToList().FindIndex(s => s.AfterRelease) : -1;
        var expandTarget = firstContract > 0 ? migrations.Ids[firstContract - 1] : null;

        // The new release's model: the schema once the whole change is applied (learned on a small copy).
        var finalColumns = await FinalColumnsAsync(page, migrations);

        var connection = await server.CreateDatabaseAsync("load_" + scenario.RuleId.ToLowerInvariant(), template);
        try
        {
            await using var database = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(connection) { MaxPoolSize = 40, Timeout = 30 }.ConnectionString).Build();
            foreach (var setup in page.Setup)
            {
                await using var command = database.CreateCommand(setup);
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync();
            }

            var records = new ConcurrentBag<RequestRecord>();
            var clock = Stopwatch.StartNew();
            var before = await ReleaseClients.ColumnsAsync(database);
            var previous = ReleaseClients.Start("previous", database, before, page.PreviousRelease, options.Rate, options.Users, options.Rows, clock, records);
            await Task.Delay(options.Baseline);
            var baselineEnd = clock.Elapsed.TotalSeconds;
            var windows = new List<Window>();
            string? error = null;

            error = await ApplyAsync(migrations, connection, safe, expandTarget, clock, windows, safe ? "expand" : "migration");
            var now = await ReleaseClients.ColumnsAsync(database);
            var next = ReleaseClients.Start("new", database, [.. now.Where(c => finalColumns.Contains((c.Table, c.Name)))], [], options.Rate, options.Users, options.Rows, clock, records);
            await Task.Delay(options.Overlap);
            if (expandTarget is not null && error is null)
            {
                // The previous release is gone (its last instance replaced): now the contract steps may run.
                await previous.StopAsync();
                error = await ApplyAsync(migrations, connection, safe: true, target: null, clock, windows, "contract");
                await Task.Delay(options.Overlap);
            }
            else
            {
                await Task.Delay(options.Overlap);
                await previous.StopAsync();
            }

            await next.StopAsync();
            return new VariantRun(scenario, safe ? "safe" : "naive", baselineEnd, windows, [.. records.OrderBy(r => r.DueSeconds)], error);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.DropDatabaseAsync(connection);
        }
    }

    private static async Task<string?> ApplyAsync(PageMigrations migrations, string connection, bool safe, string? target, Stopwatch clock, List<Window> windows, string what)
    {
        var start = clock.Elapsed.TotalSeconds;
        var error = await migrations.ApplyAsync(connection, safe ? new SafeMigrationOptions { TargetMigration = target, Command = "load" } : null);
        windows.Add(new Window(start, clock.Elapsed.TotalSeconds, what));
        return error;
    }

    private async Task<HashSet<(string Table, string Name)>> FinalColumnsAsync(RulePage page, PageMigrations migrations)
    {
        var probe = await server.CreateDatabaseAsync("load_probe", probeTemplate);
        try
        {
            await using var database = NpgsqlDataSource.Create(probe);
            foreach (var setup in page.Setup)
            {
                await using var command = database.CreateCommand(setup);
                await command.ExecuteNonQueryAsync();
            }

            // A change that fails leaves the schema as it was: the new release keeps the old model.
            await migrations.ApplyAsync(probe, new SafeMigrationOptions { Command = "probe" });
            return [.. (await ReleaseClients.ColumnsAsync(database)).Select(c => (c.Table, c.Name))];
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.DropDatabaseAsync(probe);
        }
    }
}
