using System.Diagnostics;

namespace RealHistories;

/// <summary>
/// Measures one history: compile, analyzers, SQL generation, Core's SQL path, squawk. Each stage that
/// throws is recorded and the stages that do not depend on it still run.
/// </summary>
internal sealed class HistoryBenchmark(SquawkRunner squawk)
{
    /// <param name="sqlDirectory">Where this history's generated SQL is written (squawk reads it there).</param>
    public async Task<HistoryResult> RunAsync(HistoryFolder folder, string sqlDirectory)
    {
        var stopwatch = Stopwatch.StartNew();
        var result = new HistoryResult(folder);
        var compiled = Stage(result, "compiling", () => HistoryCompiler.Compile(folder));
        if (compiled is not null)
        {
            result.FileCount = compiled.FileCount;
            result.ImplicitUsings = compiled.ImplicitUsings;
            result.MigrationsFound = compiled.MigrationsFound.Count;
            result.Stubs = compiled.Stubs.Notes;
            result.Dropped = compiled.Dropped;
            result.Problems.AddRange(compiled.RemainingErrors.Select(e => "compilation error outside the inputs: " + e));
            var locator = new MigrationLocator(compiled, folder.Path);
            result.MigrationsCompiled = Stage(result, "listing migrations", () => locator.Migrations().Count);
            result.InGeneratedFiles = Stage(result, "finding generated files", locator.InGeneratedFiles) ?? [];
            var analyzerFindings = await StageAsync(result, "running the analyzers", () => AnalyzerPass.RunAsync(compiled, locator, result.Problems));
            result.Findings.AddRange(analyzerFindings ?? []);
            result.Sql = Stage(result, "generating SQL", () => SqlGenerationPass.Run(compiled, locator)) ?? [];
        }

        var sql = Stage(result, "writing the SQL", () => SqlFolder.Write(sqlDirectory, result.Sql));
        if (sql is not null)
        {
            result.Findings.AddRange(Stage(result, "judging the SQL with Core", () => CoreSqlPass.Run(result.Sql, sql, result.Problems)) ?? []);
            result.Findings.AddRange(Stage(result, "running squawk", () => SquawkPass.Run(squawk, sql)) ?? []);
        }

        result.Elapsed = stopwatch.Elapsed;
        return result;
    }

    private static T? Stage<T>(HistoryResult result, string name, Func<T> run) =>
        StageAsync(result, name, () => Task.FromResult(run())).GetAwaiter().GetResult();

    private static async Task<T?> StageAsync<T>(HistoryResult result, string name, Func<Task<T>> run)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            return await run();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            result.Problems.Add($"{name} failed: {exception.GetType().Name}: {exception.Message}");
            return default;
        }
        finally
        {
            result.StageTimes.Add((name, stopwatch.Elapsed));
        }
    }
}
