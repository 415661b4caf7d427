using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AnalyzerOverhead;

// Compiles one generated EF Core project with and without the SafeMigrations analyzers, in pairs of
// alternating order, and prints the median of the per-pair ratios of the compile times with a 95%
// bootstrap interval. Each compile runs the exact compiler command line MSBuild produced for the project
// (captured once from a detailed build), in a fresh compiler process as on a CI agent, so the two sides
// differ only by our two /analyzer: arguments. Wall-clock and CPU time are both reported. The analyzers'
// own time comes from separate compiles with /reportanalyzer, which times every callback and so slows
// the compile.
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("dotnet run --project bench/AnalyzerOverhead -c Release -- [--entities 300] [--rounds 24] [--report-rounds 3] [--keep <dir>] [--baseline <analyzers dir>]\nCompile time of a generated EF Core project with and without the analyzers, in alternating pairs; prints the median ratio with a 95% interval.");
    return;
}

var entities = IntOption("--entities", 300);
var rounds = IntOption("--rounds", 24);
var reportRounds = IntOption("--report-rounds", 3);
var keep = StringOption("--keep"); // writes the workload there and leaves it, for profiling by hand
// Another build of the analyzers (a directory holding SafeMigrations.Analyzers.dll and Core), compiled in
// every round too: compares two designs side by side, which separate runs on a noisy machine cannot.
var baseline = StringOption("--baseline") is { } baselineDirectory ? Path.GetFullPath(baselineDirectory) : null;
var root = FindRepositoryRoot();
var work = keep is null ? Directory.CreateTempSubdirectory("safemigrations-bench-") : Directory.CreateDirectory(keep);
try
{
    Console.WriteLine($"Building the analyzers (Release) from {root} ...");
    Run(root, "dotnet", ["build", "analyzers/SafeMigrations.Analyzers", "-c", "Release", "-nodeReuse:false"]);
    var analyzers = Path.Combine(root, "analyzers", "SafeMigrations.Analyzers", "bin", "Release", "netstandard2.0");
    WorkloadGenerator.Write(work.FullName, entities, analyzers);
    var files = Directory.GetFiles(work.FullName, "*.cs", SearchOption.AllDirectories);
    Console.WriteLine($"Workload: {entities} entities, {entities * 2} migrations (+ Designers), snapshot: {files.Length} files, {files.Sum(f => File.ReadAllLines(f).Length):N0} lines");
    Run(work.FullName, "dotnet", ["restore"]);

    var compiler = CompilerCommand.Capture(work.FullName);
    Console.WriteLine($"Compiler: {compiler.CompilerPath}; the SDK's own analyzers stay on in both compiles ({compiler.SharedAnalyzerCount} /analyzer: arguments).");
    Console.WriteLine("Warm-up ...");
    compiler.Compile(withOurs: false, reportAnalyzer: false);
    compiler.Compile(withOurs: true, reportAnalyzer: false);

    var without = new List<Compile>();
    var with = new List<Compile>();
    var withBaseline = new List<Compile>();
    var pairedWall = new List<double>();
    var pairedCpu = new List<double>();
    var pairedBaseline = new List<double>();
    var pairedBaselineCpu = new List<double>();
    // 0: without our analyzers, 1: with them, 2: with the baseline build of them.
    var variants = baseline is null ? new[] { 0, 1 } : [0, 1, 2];
    for (var round = 0; round < rounds; round++)
    {
        // Rotating the order and comparing each round's compiles with one another cancels the slow
        // drifts of a shared machine's load, which are larger than the effect measured.
        var order = variants.Skip(round % variants.Length).Concat(variants.Take(round % variants.Length)).ToArray();
        if (round / variants.Length % 2 == 1)
        {
            Array.Reverse(order);
        }

        var compiles = new Compile[variants.Length];
        foreach (var variant in order)
        {
            var compile = compiles[variant] = compiler.Compile(withOurs: variant != 0, reportAnalyzer: false, variant == 2 ? baseline : null);
            (variant switch { 0 => without, 1 => with, _ => withBaseline }).Add(compile);
            Console.WriteLine($"  round {round + 1}: {(variant switch { 0 => "without ", 1 => "with    ", _ => "baseline" })} wall {compile.WallMilliseconds,7:N0} ms   CPU {compile.CpuMilliseconds,7:N0} ms");
        }

        pairedWall.Add(compiles[1].WallMilliseconds / compiles[0].WallMilliseconds);
        pairedCpu.Add(compiles[1].CpuMilliseconds / compiles[0].CpuMilliseconds);
        if (baseline is not null)
        {
            pairedBaseline.Add(compiles[1].WallMilliseconds / compiles[2].WallMilliseconds);
            pairedBaselineCpu.Add(compiles[1].CpuMilliseconds / compiles[2].CpuMilliseconds);
        }
    }

    // /reportanalyzer times every callback, which slows the compile, so it gets compiles of its own.
    var ours = new List<double>();
    var addedAnalyzerTime = new List<double>();
    var perAnalyzer = new Dictionary<string, List<double>>();
    for (var round = 0; round < reportRounds; round++)
    {
        var reportWithout = compiler.Compile(withOurs: false, reportAnalyzer: true);
        var reportWith = compiler.Compile(withOurs: true, reportAnalyzer: true);
        ours.Add(reportWith.SafeMigrationsSeconds);
        addedAnalyzerTime.Add(reportWith.AllAnalyzersSeconds - reportWithout.AllAnalyzersSeconds);
        foreach (var (name, seconds) in reportWith.PerAnalyzer)
        {
            (perAnalyzer.TryGetValue(name, out var list) ? list : perAnalyzer[name] = []).Add(seconds);
        }

        Console.WriteLine($"  /reportanalyzer {round + 1}: ours {reportWith.SafeMigrationsSeconds:0.000} s; all analyzers {reportWithout.AllAnalyzersSeconds:0.000} s without ours, {reportWith.AllAnalyzersSeconds:0.000} s with");
    }

    Console.WriteLine();
    Report("wall", without.Select(c => c.WallMilliseconds).ToList(), with.Select(c => c.WallMilliseconds).ToList(), pairedWall);
    Report("CPU ", without.Select(c => c.CpuMilliseconds).ToList(), with.Select(c => c.CpuMilliseconds).ToList(), pairedCpu);
    if (baseline is not null)
    {
        Console.WriteLine($"This build against the baseline ({baseline}):");
        Report("wall", withBaseline.Select(c => c.WallMilliseconds).ToList(), with.Select(c => c.WallMilliseconds).ToList(), pairedBaseline, "baseline");
        Report("CPU ", withBaseline.Select(c => c.CpuMilliseconds).ToList(), with.Select(c => c.CpuMilliseconds).ToList(), pairedBaselineCpu, "baseline");
        Console.WriteLine("The baseline against no analyzers of ours:");
        Report("wall", without.Select(c => c.WallMilliseconds).ToList(), withBaseline.Select(c => c.WallMilliseconds).ToList(), withBaseline.Zip(without, (b, w) => b.WallMilliseconds / w.WallMilliseconds).ToList(), withLabel: "baseline");
    }

    Console.WriteLine($"SafeMigrations analyzers' own time (/reportanalyzer, median): {Median(ours):0.000} s");
    foreach (var (name, seconds) in perAnalyzer.OrderBy(p => p.Key, StringComparer.Ordinal))
    {
        Console.WriteLine($"  {name}: {Median(seconds):0.000} s");
    }

    // Our callbacks are the first to walk many IOperation trees, which the SDK analyzers then find
    // built; the growth of all analyzers' time together is the cost we really add.
    Console.WriteLine($"Growth of all analyzers' time together (/reportanalyzer, median): {Median(addedAnalyzerTime):0.000} s");
}
finally
{
    if (keep is null)
    {
        work.Delete(recursive: true);
    }
}

static void Report(string clock, List<double> without, List<double> with, List<double> paired, string withoutLabel = "without", string withLabel = "with")
{
    var ratio = Median(paired);
    var (low, high) = BootstrapInterval(paired);
    Console.WriteLine($"{clock}: median of paired ratios {ratio:0.000} ({(ratio - 1) * 100:+0.0;-0.0}%), 95% interval {low:0.000}-{high:0.000}   ratio of medians {Median(with) / Median(without):0.000}   fastest-build ratio {with.Min() / without.Min():0.000}");
    Console.WriteLine($"      {withoutLabel}: median {Median(without),7:N0} ms ({without.Min():N0}-{without.Max():N0})   {withLabel}: median {Median(with),7:N0} ms ({with.Min():N0}-{with.Max():N0})");
}

// A 95% bootstrap interval of the median (fixed seed, so a rerun on the same figures prints the same):
// the honest way to say how far the machine's noise leaves the ratio uncertain.
static (double Low, double High) BootstrapInterval(List<double> values)
{
    var random = new Random(20261124);
    var medians = Enumerable.Range(0, 4000)
        .Select(_ => Median(Enumerable.Range(0, values.Count).Select(_ => values[random.Next(values.Count)]).ToList()))
        .Order()
        .ToList();
    return (medians[(int)(medians.Count * 0.025)], medians[(int)(medians.Count * 0.975) - 1]);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string Run(string directory, string fileName, IEnumerable<string> arguments)
{
    var start = new ProcessStartInfo(fileName) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
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
        throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{stdout[^Math.Min(stdout.Length, 6000)..]}\n{stderr.Result}");
    }

    return stdout;
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

string? StringOption(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

int IntOption(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

internal sealed record Compile(double WallMilliseconds, double CpuMilliseconds, double AllAnalyzersSeconds, double SafeMigrationsSeconds, List<(string Name, double Seconds)> PerAnalyzer);

/// <summary>The compiler command line MSBuild runs for the workload, replayable with or without our analyzers.</summary>
internal sealed partial class CompilerCommand(string directory, string compilerPath, IReadOnlyList<string> arguments)
{
    public string CompilerPath => compilerPath;

    public int SharedAnalyzerCount => arguments.Count(a => a.StartsWith("/analyzer:", StringComparison.Ordinal) && !IsOurs(a));

    public static CompilerCommand Capture(string directory)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "build", "--no-restore", "-c", "Release", "-t:Rebuild", "-nodeReuse:false", "-v:d", "-p:UseSharedCompilation=false", "-p:WithSafeMigrations=true" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => CscLine().IsMatch(l))
            ?? throw new InvalidOperationException("No compiler command line in the detailed build log:\n" + output[^Math.Min(output.Length, 4000)..] + stderr.Result);
        var match = CscLine().Match(line);
        var compiler = match.Groups["csc"].Value + ".dll";
        // MSBuild logs the arguments space-separated, quoting those with spaces.
        var argumentList = Regex.Matches(match.Groups["args"].Value, "\"[^\"]*\"|\\S+").Select(m => m.Value.Replace("\"", string.Empty)).ToList();
        if (!argumentList.Any(IsOurs))
        {
            throw new InvalidOperationException("The captured compiler command line does not load the SafeMigrations analyzers.");
        }

        return new CompilerCommand(directory, compiler, argumentList);
    }

    /// <param name="analyzerDirectory">Load our analyzers from there instead (another build of them).</param>
    public Compile Compile(bool withOurs, bool reportAnalyzer, string? analyzerDirectory = null)
    {
        var responseFile = Path.Combine(directory, $"csc-{(withOurs ? analyzerDirectory is null ? "with" : "baseline" : "without")}{(reportAnalyzer ? "-report" : string.Empty)}.rsp");
        var lines = arguments
            .Where(a => withOurs || !IsOurs(a))
            .Where(a => a != "/noconfig")
            .Select(a => analyzerDirectory is not null && IsOurs(a) ? "/analyzer:" + Path.Combine(analyzerDirectory, Path.GetFileName(a)) : a)
            .Select(a => a.Contains(' ') ? $"\"{a}\"" : a)
            .ToList();
        if (reportAnalyzer)
        {
            lines.Add("/reportanalyzer");
        }

        File.WriteAllLines(responseFile, lines);
        // bash's `times` prints the CPU time of the finished compiler process (user and system).
        var script = $"dotnet '{compilerPath}' /noconfig '@{responseFile}' > '{responseFile}.out' 2>&1; status=$?; times; exit $status";
        var stopwatch = Stopwatch.StartNew();
        var start = new ProcessStartInfo("bash") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var times = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var wall = stopwatch.Elapsed.TotalMilliseconds;
        var output = File.ReadAllText(responseFile + ".out");
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The compiler failed ({process.ExitCode}):\n{output[^Math.Min(output.Length, 4000)..]}\n{stderr.Result}");
        }

        // `times` prints the shell's own line, then the children's: "0m12.345s 0m1.234s".
        var children = Times().Matches(times).Cast<Match>().Skip(2).Take(2).Select(m => double.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) * 60_000 + double.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture) * 1000).Sum();
        var total = TotalAnalyzerTime().Match(output);
        var assembly = Regex.Match(output, @"^\s*(<?[\d.]+)\s+\d+\s+SafeMigrations\.Analyzers, Version", RegexOptions.Multiline);
        var perAnalyzer = Regex.Matches(output, @"^\s*(<?[\d.]+)\s+\d+\s+(SafeMigrations\.Analyzers\.\w+)", RegexOptions.Multiline)
            .Select(m => (m.Groups[2].Value, Seconds(m.Groups[1].Value)))
            .DistinctBy(p => p.Item1)
            .ToList();
        return new Compile(wall, children,
            total.Success ? Seconds(total.Groups[1].Value) : 0,
            assembly.Success ? Seconds(assembly.Groups[1].Value) : 0,
            perAnalyzer);
    }

    private static bool IsOurs(string argument) =>
        argument.StartsWith("/analyzer:", StringComparison.Ordinal) && Path.GetFileName(argument).StartsWith("SafeMigrations.", StringComparison.Ordinal);

    private static double Seconds(string reported) => reported.StartsWith('<') ? 0.0005 : double.Parse(reported, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<csc>\S*/Roslyn/bincore/csc(\.exe)?)\s+(?<args>/noconfig\s.*)$")]
    private static partial Regex CscLine();

    [GeneratedRegex(@"(?<m>\d+)m(?<s>[\d.]+)s")]
    private static partial Regex Times();

    [GeneratedRegex(@"Total analyzer execution time: ([\d.]+) seconds")]
    private static partial Regex TotalAnalyzerTime();
}
