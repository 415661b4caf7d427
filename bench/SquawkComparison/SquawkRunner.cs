using System.Diagnostics;
using System.Text.Json;

namespace SquawkComparison;

/// <summary>Runs the squawk CLI with its JSON reporter and groups rule names by file.</summary>
internal sealed class SquawkRunner(string executable)
{
    /// <summary>squawk's rules that ask every statement for lock/statement timeouts; SafeMigrations' runner sets those per migration.</summary>
    public static readonly IReadOnlySet<string> TimeoutRules = new HashSet<string> { "require-lock-timeout", "require-statement-timeout", "require-timeout-settings" };

    public static SquawkRunner? Find(string benchDirectory)
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("SQUAWK"),
            Path.Combine(benchDirectory, "node_modules", ".bin", "squawk"),
        };
        var found = candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c));
        return found is null ? null : new SquawkRunner(found);
    }

    public string Version() => Run(["--version"]).Output.Trim();

    /// <summary>Rule names per file name; <paramref name="assumeInTransaction"/> models EF's migration transaction.</summary>
    public Dictionary<string, HashSet<string>> Lint(IEnumerable<string> paths, bool assumeInTransaction)
    {
        var arguments = new List<string> { "--reporter", "json", "--pg-version", "15" };
        if (assumeInTransaction)
        {
            arguments.Add("--assume-in-transaction");
        }

        arguments.AddRange(paths);
        var result = Run(arguments);
        var rules = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var json = result.Output.Trim();
        if (json.Length == 0)
        {
            return rules;
        }

        foreach (var violation in JsonDocument.Parse(json).RootElement.EnumerateArray())
        {
            var file = Path.GetFileName(violation.GetProperty("file").GetString()!);
            if (!rules.TryGetValue(file, out var set))
            {
                rules[file] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(violation.GetProperty("rule_name").GetString()!);
        }

        return rules;
    }

    /// <summary>Wall time of one squawk process over the given path pattern.</summary>
    public TimeSpan Time(string pattern)
    {
        var stopwatch = Stopwatch.StartNew();
        Run(["--reporter", "json", "--pg-version", "15", pattern]);
        return stopwatch.Elapsed;
    }

    private (int ExitCode, string Output) Run(IReadOnlyList<string> arguments)
    {
        var startInfo = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result);
    }
}
