using System.Diagnostics;
using System.Globalization;
using CliWrap;
using CliWrap.Buffered;

// The build gate's cost on a real project (default: the Todo backend), measured side by side in one run:
//   1. the design host's whole check (pending changes + every migration + SQL) against
//      `dotnet ef migrations has-pending-model-changes --no-build`, which checks pending changes only;
//   2. what the gate adds to a no-op `dotnet build` (its target is skipped by the incremental stamp);
//   3. the host's peak memory (maximum resident set size, from /usr/bin/time).
// Runs alternate A/B so drift on the machine hits both sides alike; medians are reported.
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("dotnet run --project bench/GateCheck -c Release -- [--project <app dir>] [--runs 10]\nThe build gate's cost on a real project (default: the Todo backend): its check against dotnet ef migrations has-pending-model-changes, what it adds to a no-op build, its peak memory. Packs SafeMigrations.Build into artifacts/packages first.");
    return 0;
}

var root = FindRepositoryRoot();
var project = Path.GetFullPath(Arg("--project") ?? Path.Combine(root, "src", "Todo.Backend"));
var runs = int.Parse(Arg("--runs") ?? "10", CultureInfo.InvariantCulture);

Console.WriteLine($"project: {project}; {runs} alternating runs per comparison; {Environment.ProcessorCount} cores");
await Must("dotnet", ["build", Path.Combine(root, "src", "SafeMigrations.Design"), "-c", "Release", "-nologo", "-v:q"], root);
await Must("dotnet", ["build", project, "-nologo", "-v:q"], root);
await Must("dotnet", ["tool", "restore"], root);
var host = Path.Combine(root, "src", "SafeMigrations.Design", "bin", "Release", "net8.0", "SafeMigrations.Design.dll");
var properties = await Must("dotnet", ["msbuild", project, "-getProperty:TargetPath", "-getProperty:ProjectDepsFilePath", "-getProperty:ProjectRuntimeConfigFilePath", "-getProperty:NuGetPackageRoot", "-getProperty:RootNamespace"], root);
var values = System.Text.Json.JsonDocument.Parse(properties).RootElement.GetProperty("Properties");
string Property(string name) => values.GetProperty(name).GetString()!;

string[] hostCheck =
[
    "-f", "%M", "dotnet", "exec", "--depsfile", Property("ProjectDepsFilePath"), "--runtimeconfig", Property("ProjectRuntimeConfigFilePath"),
    "--additionalprobingpath", Property("NuGetPackageRoot").TrimEnd('/'), host, "check", "--assembly", Property("TargetPath"),
    "--project-dir", project, "--root-namespace", Property("RootNamespace"), "--lock", "verify", "--format", "msbuild",
];
string[] efPending = ["-f", "%M", "dotnet", "ef", "migrations", "has-pending-model-changes", "--no-build", "--project", project];

var (hostTimes, hostMemory) = (new List<double>(), new List<long>());
var (efTimes, efMemory) = (new List<double>(), new List<long>());
for (var i = 0; i < runs + 1; i++)
{
    var (hostMs, hostKb) = await Timed("/usr/bin/time", hostCheck, root);
    var (efMs, efKb) = await Timed("/usr/bin/time", efPending, root);
    if (i == 0)
    {
        continue; // warm-up: disk cache and the first JIT of each side
    }

    hostTimes.Add(hostMs);
    hostMemory.Add(hostKb);
    efTimes.Add(efMs);
    efMemory.Add(efKb);
}

Console.WriteLine();
Console.WriteLine("1. whole gate check vs dotnet ef has-pending-model-changes (pending changes only)");
Console.WriteLine($"   gate host check:                 median {Median(hostTimes):F0} ms (min {hostTimes.Min():F0}, max {hostTimes.Max():F0}), peak RSS {Median(hostMemory.Select(m => (double)m)) / 1024:F0} MiB");
Console.WriteLine($"   dotnet ef has-pending-changes:   median {Median(efTimes):F0} ms (min {efTimes.Min():F0}, max {efTimes.Max():F0}), peak RSS {Median(efMemory.Select(m => (double)m)) / 1024:F0} MiB");
Console.WriteLine($"   ratio gate / dotnet ef:          {Median(hostTimes) / Median(efTimes):F2}x");

// 2. A no-op build with the gate on and off. The backend takes the gate from the local feed (as the solution
// build fills it); the first build with the gate on runs it and writes its stamp.
await Must("dotnet", ["pack", Path.Combine(root, "msbuild", "SafeMigrations.Build"), "-nologo", "-v:q"], root);
await Must("dotnet", ["build", project, "-nologo", "-v:q", "-p:SafeMigrationsGate=true"], root);
var detailed = await Must("dotnet", ["build", project, "-nologo", "-v:d", "--no-restore", "-p:SafeMigrationsGate=true"], root);
if (!detailed.Contains("Skipping target \"SafeMigrationsCheck\" because all output files are up-to-date", StringComparison.Ordinal))
{
    throw new InvalidOperationException($"{project} does not run the gate (no SafeMigrations.Build package?): nothing to measure.");
}

var (withGate, withoutGate) = (new List<double>(), new List<double>());
for (var i = 0; i < runs + 1; i++)
{
    var on = await Timed("dotnet", ["build", project, "-nologo", "-v:q", "--no-restore", "-p:SafeMigrationsGate=true"], root);
    var off = await Timed("dotnet", ["build", project, "-nologo", "-v:q", "--no-restore", "-p:SafeMigrationsGate=false"], root);
    if (i > 0)
    {
        withGate.Add(on.Milliseconds);
        withoutGate.Add(off.Milliseconds);
    }
}

Console.WriteLine();
Console.WriteLine("2. no-op dotnet build, gate on vs off");
Console.WriteLine($"   gate on:   median {Median(withGate):F0} ms");
Console.WriteLine($"   gate off:  median {Median(withoutGate):F0} ms");
Console.WriteLine($"   added:     {Median(withGate) - Median(withoutGate):F0} ms (ratio {Median(withGate) / Median(withoutGate):F3}x)");
return 0;

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static async Task<string> Must(string program, string[] arguments, string directory)
{
    var result = await Cli.Wrap(program).WithArguments(arguments).WithWorkingDirectory(directory).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
    if (result.ExitCode != 0)
    {
        throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}");
    }

    return result.StandardOutput;
}

// Wall time of one run; with /usr/bin/time -f %M, also the child's maximum resident set size in KiB (its last stderr line).
static async Task<(double Milliseconds, long PeakKb)> Timed(string program, string[] arguments, string directory)
{
    var watch = Stopwatch.StartNew();
    var result = await Cli.Wrap(program).WithArguments(arguments).WithWorkingDirectory(directory).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
    watch.Stop();
    if (result.ExitCode != 0)
    {
        throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}");
    }

    var last = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
    return (watch.Elapsed.TotalMilliseconds, program == "/usr/bin/time" && long.TryParse(last, out var kb) ? kb : 0);
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

    throw new InvalidOperationException("Run from a checkout of the SafeMigrations repository.");
}
