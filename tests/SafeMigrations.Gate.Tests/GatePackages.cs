using System.Globalization;
using System.Text.Json;
using SafeMigrations.Testing;

namespace SafeMigrations.Gate.Tests;

/// <summary>
/// SafeMigrations.Build, .Abstractions, .Runtime, .Analyzers, .Templates and the safemig tool packed once per run into a local
/// feed, with a version of their own (NuGet keeps the first copy of a version it extracts), and the tool
/// installed from it as users install it.
/// </summary>
[TestClass]
public static class GatePackages
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static string? feed;

    private static readonly string[] Packages =
    [
        "msbuild/SafeMigrations.Build/SafeMigrations.Build.csproj",
        "src/SafeMigrations.Abstractions/SafeMigrations.Abstractions.csproj",
        "src/SafeMigrations.Cli/SafeMigrations.Cli.csproj",
        "src/SafeMigrations.Runtime/SafeMigrations.Runtime.csproj",
        "src/SafeMigrations.EmbeddedPostgres/SafeMigrations.EmbeddedPostgres.csproj",
        "analyzers/SafeMigrations.Analyzers.Package/SafeMigrations.Analyzers.Package.csproj",
        "templates/SafeMigrations.Templates/SafeMigrations.Templates.csproj",
    ];

    public static string Version { get; } = "0.1.0-gate." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public static string Feed => feed ?? throw new InvalidOperationException("call EnsureAsync first");

    /// <summary>The installed safemig executable.</summary>
    public static string Safemig { get; private set; } = string.Empty;

    public static async Task EnsureAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (feed is not null)
            {
                return;
            }

            var folder = Directory.CreateTempSubdirectory("safemigrations-gate-feed-").FullName;

            // One pack of a solution filter: one restore and a parallel build instead of a dotnet process per package.
            var filter = Path.Combine(folder, "packages.slnf");
            File.WriteAllText(filter, JsonSerializer.Serialize(new { solution = new { path = Path.Combine(RepositoryRoot.Path, "DevTools.sln"), projects = Packages } }));
            var pack = await Dotnet.RunAsync(RepositoryRoot.Path, ["pack", filter, "-c", "Release", "-p:PackageOutputPath=" + folder + Path.DirectorySeparatorChar, "-p:Version=" + Version, "-p:MinVerSkip=true", "-p:SkipSafeMigrationsAnalyzersPack=true", "-nodeReuse:false", "-v:q"]);
            Assert.AreEqual(0, pack.ExitCode, pack.Output);
            Assert.HasCount(Packages.Length, Directory.GetFiles(folder, "*.nupkg"), pack.Output);

            var tools = Path.Combine(folder, "tools");
            var install = await Dotnet.RunAsync(folder, ["tool", "install", "SafeMigrations.Cli", "--tool-path", tools, "--add-source", folder, "--version", Version]);
            Assert.AreEqual(0, install.ExitCode, install.Output);
            Safemig = Path.Combine(tools, OperatingSystem.IsWindows() ? "safemig.exe" : "safemig");
            feed = folder;
        }
        finally
        {
            Once.Release();
        }
    }

    [AssemblyCleanup]
    public static async Task CleanupAsync()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "safemigrations.build", "safemigrations.abstractions", "safemigrations.cli", "safemigrations.runtime", "safemigrations.analyzers", "safemigrations.templates", "safemigrations.embeddedpostgres" })
        {
            var extracted = new DirectoryInfo(Path.Combine(root, id, Version));
            if (extracted.Exists)
            {
                extracted.Delete(recursive: true);
            }
        }

        if (feed is not null && Directory.Exists(feed))
        {
            Directory.Delete(feed, recursive: true);
        }

        await SharedPostgres.StopAsync();
    }
}
