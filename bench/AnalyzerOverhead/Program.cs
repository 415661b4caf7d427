using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AnalyzerOverhead;

// Compiles one generated EF Core project with and without the SafeMigrations analyzers, alternating,
// and prints the compiler (Csc) time of each build, the ratio of medians, and the analyzers' own time
// as the compiler reports it (-p:ReportAnalyzer=true).
var entities = IntOption("--entities", 300);
var rounds = IntOption("--rounds", 3);
var root = FindRepositoryRoot();
var work = Directory.CreateTempSubdirectory("safemigrations-bench-");
try
{
    Console.WriteLine($"Building the analyzers (Release) from {root} ...");
    Run(root, "build", "analyzers/SafeMigrations.Analyzers", "-c", "Release", "-nodeReuse:false");
    var analyzers = Path.Combine(root, "analyzers", "SafeMigrations.Analyzers", "bin", "Release", "netstandard2.0");
    WorkloadGenerator.Write(work.FullName, entities, analyzers);
    var files = Directory.GetFiles(work.FullName, "*.cs", SearchOption.AllDirectories);
    Console.WriteLine($"Workload: {entities} entities, {entities * 2} migrations (+ Designers), snapshot: {files.Length} files, {files.Sum(f => File.ReadAllLines(f).Length):N0} lines");
    Run(work.FullName, "restore");

    Console.WriteLine("Warm-up ...");
    Build(work.FullName, withAnalyzers: false);
    Build(work.FullName, withAnalyzers: true);

    var without = new List<double>();
    var with = new List<double>();
    var analyzerSeconds = new List<double>();
    var perAnalyzer = new Dictionary<string, List<double>>();
    for (var round = 0; round < rounds; round++)
    {
        foreach (var withAnalyzers in round % 2 == 0 ? new[] { false, true } : [true, false])
        {
            var result = Build(work.FullName, withAnalyzers);
            (withAnalyzers ? with : without).Add(result.CscMilliseconds);
            if (withAnalyzers)
            {
                analyzerSeconds.Add(result.SafeMigrationsSeconds);
                foreach (var (name, seconds) in result.PerAnalyzer)
                {
                    (perAnalyzer.TryGetValue(name, out var list) ? list : perAnalyzer[name] = []).Add(seconds);
                }
            }

            Console.WriteLine($"  round {round + 1}: {(withAnalyzers ? "with   " : "without")} Csc {result.CscMilliseconds,8:N0} ms" + (withAnalyzers ? $"   SafeMigrations analyzers {result.SafeMigrationsSeconds:0.000} s" : string.Empty));
        }
    }

    var medianWithout = Median(without);
    var medianWith = Median(with);
    Console.WriteLine();
    Console.WriteLine($"Csc median without analyzers: {medianWithout:N0} ms");
    Console.WriteLine($"Csc median with analyzers:    {medianWith:N0} ms");
    Console.WriteLine($"Ratio with/without: {medianWith / medianWithout:0.000} ({(medianWith / medianWithout - 1) * 100:+0.0;-0.0}% compile time)");
    Console.WriteLine($"SafeMigrations analyzers' own time (ReportAnalyzer, median): {Median(analyzerSeconds):0.000} s = {Median(analyzerSeconds) * 1000 / medianWithout * 100:0.0}% of the compile without them");
    foreach (var (name, seconds) in perAnalyzer.OrderBy(p => p.Key, StringComparer.Ordinal))
    {
        Console.WriteLine($"  {name}: {Median(seconds):0.000} s");
    }
}
finally
{
    work.Delete(recursive: true);
}

static (double CscMilliseconds, double SafeMigrationsSeconds, List<(string, double)> PerAnalyzer) Build(string project, bool withAnalyzers)
{
    var output = Run(project, "build", "--no-restore", "-c", "Release", "-t:Rebuild", "-nodeReuse:false", "-v:d", "-clp:PerformanceSummary",
        "-p:ReportAnalyzer=true", "-p:WithSafeMigrations=" + (withAnalyzers ? "true" : "false"));
    var csc = Regex.Match(output, @"^\s*(\d+) ms\s+Csc\s+\d+ calls", RegexOptions.Multiline);
    if (!csc.Success)
    {
        throw new InvalidOperationException("No Csc time in the performance summary:\n" + output[^Math.Min(output.Length, 4000)..]);
    }

    var assembly = Regex.Match(output, @"^\s*(<?[\d.]+)\s+\d+\s+SafeMigrations\.Analyzers, Version", RegexOptions.Multiline);
    var perAnalyzer = Regex.Matches(output, @"^\s*(<?[\d.]+)\s+\d+\s+(SafeMigrations\.Analyzers\.\w+)", RegexOptions.Multiline)
        .Select(m => (m.Groups[2].Value, Seconds(m.Groups[1].Value)))
        .DistinctBy(p => p.Item1)
        .ToList();
    return (double.Parse(csc.Groups[1].Value, CultureInfo.InvariantCulture), assembly.Success ? Seconds(assembly.Groups[1].Value) : 0, perAnalyzer);
}

static double Seconds(string reported) => reported.StartsWith('<') ? 0.0005 : double.Parse(reported, CultureInfo.InvariantCulture);

static string Run(string directory, params string[] arguments)
{
    var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
    using var process = Process.Start(start)!;
    var stderr = process.StandardError.ReadToEndAsync();
    var stdout = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{stdout[^Math.Min(stdout.Length, 6000)..]}\n{stderr.Result}");
    }

    return stdout;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "DevTools.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository (DevTools.sln not found).");
}

int IntOption(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
