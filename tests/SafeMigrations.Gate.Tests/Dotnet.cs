using SafeMigrations.Testing;

namespace SafeMigrations.Gate.Tests;

internal static class Dotnet
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null) =>
        RunProgramAsync("dotnet", workingDirectory, arguments, environment);

    public static async Task<(int ExitCode, string Output)> RunProgramAsync(string program, string workingDirectory, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null)
    {
        var variables = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>())
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",
        };

        // A build inside CI=true verifies the lock file; these apps are developers' working copies unless a test says otherwise.
        foreach (var name in new[] { "CI", "TF_BUILD", "GITHUB_ACTIONS", "ContinuousIntegrationBuild" })
        {
            variables.TryAdd(name, null);
        }

        using var process = ChildProcess.Start(program, arguments, variables, workingDirectory);
        var exitCode = await process.WaitForExitAsync(Timeout);
        return (exitCode, process.Output);
    }
}
