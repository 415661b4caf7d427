using System.Text.RegularExpressions;
using SafeMigrations.Testing;

namespace SafeMigrations.Analyzers.Tests;

/// <summary>
/// The repository's own backend consumes the analyzers as a package from the local feed, as users do
/// (ReadmeEndToEndTests follows the README on a fresh app).
/// </summary>
[TestClass]
public sealed class PackageEndToEndTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);


    [TestMethod]
    public async Task The_repository_backend_takes_the_analyzers_from_the_package_in_the_local_feed()
    {
        // The version the solution's pre-restore pack recorded (MinVer, from git), which the backend restores.
        var recorded = Path.Combine(RepositoryRoot.Path, "artifacts", "packages", "SafeMigrations.version.props");
        Assert.IsTrue(File.Exists(recorded), $"{recorded} is missing: `dotnet test DevTools.sln` packs the analyzers before restoring (Directory.Solution.targets) and records their version");
        var version = Regex.Match(File.ReadAllText(recorded), "<SafeMigrationsVersion>([^<]+)</SafeMigrationsVersion>").Groups[1].Value;
        StringAssert.Matches(version, new Regex(@"^0\.\d+\.\d+(-alpha\.0\.\d+)?$"), "a version MinVer derived from git");
        var package = Path.Combine(RepositoryRoot.Path, "artifacts", "packages", $"SafeMigrations.Analyzers.{version}.nupkg");
        Assert.IsTrue(File.Exists(package), $"{package} is missing: `dotnet test DevTools.sln` packs it before restoring (Directory.Solution.targets)");

        var resolved = await DotnetAsync(RepositoryRoot.Path, "msbuild", Path.Combine("src", "Todo.Backend"), "-t:ResolvePackageAssets", "-getItem:ResolvedAnalyzers", "-nodeReuse:false");
        Assert.AreEqual(0, resolved.ExitCode, resolved.Output);
        using var json = System.Text.Json.JsonDocument.Parse(resolved.Output[resolved.Output.IndexOf('{', StringComparison.Ordinal)..]);
        var analyzers = json.RootElement.GetProperty("Items").GetProperty("ResolvedAnalyzers").EnumerateArray()
            .Select(item => item.GetProperty("Identity").GetString()!.Replace('\\', '/'))
            .ToList();
        foreach (var assembly in new[] { "SafeMigrations.Analyzers.dll", "SafeMigrations.Analyzers.CodeFixes.dll", "SafeMigrations.Core.dll" })
        {
            var path = analyzers.SingleOrDefault(a => a.EndsWith("/" + assembly, StringComparison.Ordinal));
            Assert.IsNotNull(path, $"{assembly} is not among the backend's analyzers:\n{string.Join('\n', analyzers)}");
            StringAssert.Contains(path, $"/safemigrations.analyzers/{version}/analyzers/dotnet/cs/", "from the restored package, not from a project's output");
        }
    }

    private static async Task<(int ExitCode, string Output)> DotnetAsync(string workingDirectory, params string[] arguments)
    {
        using var process = ChildProcess.Start("dotnet", arguments, new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" }, workingDirectory);
        var exitCode = await process.WaitForExitAsync(CommandTimeout);
        return (exitCode, process.Output);
    }
}
