using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace SafeMigrations.Gate.Tests;

/// <summary>
/// safemig init on an existing EF Core app with a migration history, as a team adopts SafeMigrations with the README's
/// command (dotnet tool exec from the package folder), from an empty NuGet cache. --dry-run changes nothing; init adds the packages,
/// the source, the local tool, the baseline and the lock file; the next build is clean and an unsafe change fails it.
/// </summary>
[TestClass]
public sealed partial class InitTests
{
    /// <summary>Set to 1 to run the EF Core 8 and 9 apps too (each restores its EF from an empty cache: on demand, not in the suite's budget).</summary>
    public const string AllEfVersionsVariable = "SAFEMIGRATIONS_ALL_EF_VERSIONS";

    [TestMethod]
    [DataRow("10")]
    [DataRow("9")]
    [DataRow("8")]
    public async Task Init_adopts_an_existing_app_from_an_empty_cache_and_the_next_unsafe_change_fails_the_build(string efMajor)
    {
        if (efMajor != "10" && Environment.GetEnvironmentVariable(AllEfVersionsVariable) != "1")
        {
            Assert.Inconclusive($"EF Core {efMajor}: on demand ({AllEfVersionsVariable}=1).");
        }

        await GatePackages.EnsureAsync();
        using var app = SampleApp.Create(EfVersions.Parse(efMajor));
        app.Write("Shop.csproj", app.ProjectFile(withSafeMigrations: false));
        File.Delete(Path.Combine(app.Directory, "nuget.config")); // a plain app knows nothing of the SafeMigrations feed

        // Its history, scaffolded by the real dotnet ef.
        var built = await app.BuildAsync();
        Assert.AreEqual(0, built.ExitCode, built.Output);
        var initial = await app.EfAsync("migrations", "add", "Initial");
        Assert.AreEqual(0, initial.ExitCode, initial.Output);
        app.Edit("Product.cs", "public string? Notes { get; set; }", "public string? Notes { get; set; }\n\n    public string? Sku { get; set; }");
        var addSku = await app.EfAsync("migrations", "add", "AddSku");
        Assert.AreEqual(0, addSku.ExitCode, addSku.Output);
        var newest = Path.GetFileNameWithoutExtension(app.Migration("AddSku"));

        var cache = Directory.CreateTempSubdirectory("safemigrations-init-cache-").FullName;
        var home = Directory.CreateTempSubdirectory("safemigrations-init-home-").FullName;
        var clean = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = cache, ["DOTNET_CLI_HOME"] = home };
        try
        {
            // The README's second command, word for word but for the folder: dotnet tool exec runs the tool from the package.
            Task<(int ExitCode, string Output)> InitAsync(params string[] options) =>
                Dotnet.RunAsync(app.Directory, ["tool", "exec", "SafeMigrations.Cli", "--prerelease", "--add-source", GatePackages.Feed, "--", "init", .. options], clean);
            var before = Snapshot(app.Directory);
            var dryRun = await InitAsync("--dry-run");
            Assert.AreEqual(0, dryRun.ExitCode, dryRun.Output);
            StringAssert.Contains(dryRun.Output, $"would add SafeMigrations.Build {GatePackages.Version} to Shop.csproj");
            StringAssert.Contains(dryRun.Output, $"would set the baseline in Shop.csproj to {newest} (2 existing migration(s) not judged)");
            CollectionAssert.AreEquivalent(before, Snapshot(app.Directory), "--dry-run changes nothing");

            var init = await InitAsync();
            Assert.AreEqual(0, init.ExitCode, init.Output);
            StringAssert.Contains(init.Output, "Baseline: 2 migration(s) up to " + newest + " are not judged");
            StringAssert.Contains(init.Output, "Built Shop.csproj: succeeded; lock file Migrations/ShopContext.migrations.lock (commit it)");
            StringAssert.Contains(init.Output, "Next: dotnet build");

            var project = File.ReadAllText(Path.Combine(app.Directory, "Shop.csproj"));
            foreach (var package in new[] { "SafeMigrations.Analyzers", "SafeMigrations.Abstractions", "SafeMigrations.Build", "SafeMigrations.Runtime" })
            {
                StringAssert.Matches(project, new Regex($"<PackageReference Include=\"{Regex.Escape(package)}\" Version=\"{Regex.Escape(GatePackages.Version)}\""), package);
            }

            StringAssert.Contains(project, $"<SafeMigrationsBaseline>{newest}</SafeMigrationsBaseline>");
            StringAssert.Contains(File.ReadAllText(Path.Combine(app.Directory, "nuget.config")), GatePackages.Feed.TrimEnd('/'));
            StringAssert.Contains(File.ReadAllText(Path.Combine(app.Directory, "dotnet-tools.json")), "\"safemigrations.cli\"", "beside dotnet-ef, in the manifest the app has");
            StringAssert.Contains(File.ReadAllText(app.LockFile), newest, "the lock file records the history");

            // Run again: nothing left to do.
            var again = await app.SafemigWithAsync(clean, ".", "init", "--skip-build");
            Assert.AreEqual(0, again.ExitCode, again.Output);
            StringAssert.Contains(again.Output, "Nothing to change");

            // The team's next change: the safe one builds, an unsafe one fails the build with the command that fixes it.
            var local = await Dotnet.RunAsync(app.Directory, ["safemig", "--version"], clean);
            Assert.AreEqual(0, local.ExitCode, "dotnet safemig runs the local tool:\n" + local.Output);
            app.Edit("ProductConfiguration.cs", "builder.Property(p => p.Name).HasMaxLength(200);", "builder.Property(p => p.Name).HasMaxLength(200);\n        builder.HasIndex(p => p.Sku);");
            var pending = await Dotnet.RunAsync(app.Directory, ["build", "-nologo"], clean);
            Assert.AreNotEqual(0, pending.ExitCode, pending.Output);
            StringAssert.Contains(SampleApp.One(pending.Output, "SM3001").Message, "'dotnet safemig migrations add <Name> --context ShopContext' writes the safe form of CREATE INDEX \"IX_products_Sku\"");
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
            Directory.Delete(home, recursive: true);
        }
    }

    [TestMethod]
    public async Task Init_touches_no_file_it_cannot_parse_and_says_what_to_add_by_hand()
    {
        await GatePackages.EnsureAsync();
        using var app = SampleApp.Create(EfVersions.Ef10);
        app.Write("Shop.csproj", app.ProjectFile(withSafeMigrations: false));
        app.Write("nuget.config", "<configuration><packageSources><add key=\"x\" value=\"y\"></packageSources>");
        var before = Snapshot(app.Directory);

        var init = await app.SafemigAsync("init");
        Assert.AreEqual(2, init.ExitCode, init.Output);
        StringAssert.Contains(init.Output, "nuget.config does not parse");
        StringAssert.Contains(init.Output, "dotnet nuget add source");
        CollectionAssert.AreEquivalent(before, Snapshot(app.Directory), "nothing changed");
    }

    /// <summary>Every file of the app but build output, with its content's hash.</summary>
    private static List<string> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(directory, f).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Select(f => Path.GetRelativePath(directory, f) + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))))
            .ToList();
}
