using System.Diagnostics;
using System.Text.Json;

namespace RealHistories;

/// <summary>Runs the squawk CLI with its JSON reporter (adapted from bench/SquawkComparison's runner: keeps line and message).</summary>
internal sealed class SquawkRunner(string executable)
{
    public const string InstallHint = "npm install --prefix bench/SquawkComparison (or set SQUAWK to its path)";

    /// <summary>squawk's rules that ask every statement for lock/statement timeouts; SafeMigrations' runner sets those per migration.</summary>
    public static readonly IReadOnlySet<string> TimeoutRules = new HashSet<string>(StringComparer.Ordinal)
    {
        "require-lock-timeout", "require-statement-timeout", "require-timeout-settings",
    };

    /// <summary>$SQUAWK, else the copy bench/SquawkComparison installs, looked for above this program and the working directory.</summary>
    public static SquawkRunner? Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SQUAWK");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(fromEnvironment) ? new SquawkRunner(fromEnvironment) : null;
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "bench", "SquawkComparison", "node_modules", ".bin", "squawk");
                if (File.Exists(candidate))
                {
                    return new SquawkRunner(candidate);
                }
            }
        }

        return null;
    }

    public string Version() => Run(["--version"]).Output.Trim();

    /// <summary>Every violation in the given files; <paramref name="assumeInTransaction"/> models EF's migration transaction.</summary>
    public IReadOnlyList<SquawkViolation> Lint(IReadOnlyCollection<string> paths, bool assumeInTransaction)
    {
        if (paths.Count == 0)
        {
            return [];
        }

        var arguments = new List<string> { "--reporter", "json", "--pg-version", "15" };
        if (assumeInTransaction)
        {
            arguments.Add("--assume-in-transaction");
        }

        arguments.AddRange(paths);
        var (exitCode, output, error) = Run(arguments);
        var json = output.Trim();
        if (json.Length == 0)
        {
            return exitCode == 0 ? [] : throw new InvalidOperationException($"squawk exited with {exitCode} and no report: {error.Trim()}");
        }

        try
        {
            return JsonDocument.Parse(json).RootElement.EnumerateArray()
                .Select(v => new SquawkViolation(
                    Path.GetFileName(v.GetProperty("file").GetString() ?? string.Empty),
                    v.GetProperty("rule_name").GetString() ?? "(no rule)",
                    v.TryGetProperty("level", out var level) ? level.GetString()?.ToLowerInvariant() ?? "warning" : "warning",
                    v.TryGetProperty("line", out var line) && line.ValueKind == JsonValueKind.Number ? line.GetInt32() + 1 : 1,
                    v.TryGetProperty("message", out var message) ? message.GetString() ?? string.Empty : string.Empty))
                .ToList();
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException($"squawk's output is not its JSON report ({exception.Message}): {json[..Math.Min(200, json.Length)]}", exception);
        }
    }

    private (int ExitCode, string Output, string Error) Run(IReadOnlyList<string> arguments)
    {
        var startInfo = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("squawk did not start: " + executable);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}
