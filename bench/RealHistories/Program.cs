using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using RealHistories;

// Usage: dotnet run --project bench/RealHistories -c Release -- <migrations-folder> [<migrations-folder> ...]
//            [--out <report.md>] [--details <findings.tsv>] [--sql <folder>]
// Each folder is one EF Core migration history checked out outside the repository. The report goes to
// stdout (and --out); progress goes to stderr. --sql keeps the generated SQL (otherwise a temp folder).
var (arguments, error) = HarnessArguments.Parse(args);
if (arguments is null)
{
    Console.Error.WriteLine($"error: {error}");
    Console.Error.WriteLine(HarnessArguments.Usage);
    return 2;
}

var missing = arguments.Folders.FirstOrDefault(folder => !Directory.Exists(folder));
if (missing is not null)
{
    Console.Error.WriteLine($"error: migrations folder not found: {missing}");
    return 2;
}

var squawk = SquawkRunner.Find();
if (squawk is null)
{
    Console.Error.WriteLine($"error: squawk not found. Install it: {SquawkRunner.InstallHint}.");
    return 2;
}

var stopwatch = Stopwatch.StartNew();
var sqlRoot = arguments.SqlPath ?? Directory.CreateTempSubdirectory("realhistories-sql-").FullName;
var benchmark = new HistoryBenchmark(squawk);
var results = new List<HistoryResult>();
try
{
    foreach (var (folder, index) in arguments.Folders.Select((path, index) => (HistoryFolder.Describe(path), index)))
    {
        Console.Error.WriteLine($"{folder.Name}: {folder.RelativePath} ...");
        // Numbered: two folders of one checkout share its name.
        var result = await benchmark.RunAsync(folder, Path.Combine(sqlRoot, $"{index + 1:D2}-{folder.SafeName}"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{folder.Name}: {result.MigrationsCompiled}/{result.MigrationsFound} migrations compiled, SQL for {result.SqlGenerated}, {result.Findings.Count} findings, {result.Problems.Count} problems, {result.Elapsed.TotalSeconds:0.0} s"));
        results.Add(result);
    }
}
finally
{
    if (arguments.SqlPath is null)
    {
        Directory.Delete(sqlRoot, recursive: true);
    }
}

var header = string.Create(CultureInfo.InvariantCulture,
    $"{squawk.Version()} (--pg-version 15, --assume-in-transaction except for transaction-suppressed commands); EF Core {VersionOf(typeof(DbContext))}, Npgsql.EntityFrameworkCore.PostgreSQL {VersionOf(typeof(NpgsqlDbContextOptionsBuilderExtensions))} (SQL generated for PostgreSQL 15); SafeMigrations analyzers and Core from this checkout. {results.Count} histories in {stopwatch.Elapsed.TotalSeconds:0} s.");
var report = ReportWriter.Write(results, header);
Console.Write(report);
try
{
    if (arguments.ReportPath is not null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(arguments.ReportPath)!);
        File.WriteAllText(arguments.ReportPath, report);
    }

    if (arguments.DetailsPath is not null)
    {
        DetailsWriter.Write(arguments.DetailsPath, results);
    }
}
catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: the report was printed but could not be written: {exception.Message}");
    return 1;
}

return 0;

static string VersionOf(Type type) =>
    type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
    ?? type.Assembly.GetName().Version?.ToString()
    ?? "?";
