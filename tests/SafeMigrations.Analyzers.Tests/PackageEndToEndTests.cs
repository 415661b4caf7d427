using System.Text.RegularExpressions;
using SafeMigrations.Testing;

namespace SafeMigrations.Analyzers.Tests;

/// <summary>
/// The package as users get it: packed into a local feed, referenced by a copy of the Todo backend,
/// restored and built with the real SDK; then the model is edited unsafely, `dotnet ef migrations add`
/// scaffolds the migration, and `dotnet build` must fail with each rule at the right file and line.
/// </summary>
[TestClass]
public sealed partial class PackageEndToEndTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Packed_analyzers_fail_the_build_at_each_unsafe_call_of_a_scaffolded_migration()
    {
        var work = Directory.CreateTempSubdirectory("safemigrations-e2e-");
        var version = "0.1.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var repo = Path.Combine(work.FullName, "repo");
            // The copy consumes the packages as the repository's backend does: from its artifacts/packages feed.
            var feed = Path.Combine(repo, "artifacts", "packages");
            await PackAsync(Path.Combine("analyzers", "SafeMigrations.Analyzers.Package"), feed, version);
            await PackAsync(Path.Combine("src", "SafeMigrations.Abstractions"), feed, version);
            CopyBackend(repo, version);

            var clean = await DotnetAsync(repo, "build", "src/Todo.Backend", "-nodeReuse:false");
            Assert.AreEqual(0, clean.ExitCode, clean.Output);
            Assert.IsFalse(DiagnosticLine().IsMatch(clean.Output), "the existing migrations build clean:\n" + clean.Output);

            using (var package = System.IO.Compression.ZipFile.OpenRead(Directory.GetFiles(feed, "SafeMigrations.Analyzers.*.nupkg").Single()))
            {
                var entries = package.Entries.Select(e => e.FullName).ToList();
                foreach (var assembly in new[] { "SafeMigrations.Analyzers.dll", "SafeMigrations.Analyzers.CodeFixes.dll", "SafeMigrations.Core.dll" })
                {
                    Assert.Contains("analyzers/dotnet/cs/" + assembly, entries);
                }
            }

            // While the developer edits the entity, before any migration: the model analyzer warns on the members.
            var entity = Path.Combine(repo, "src", "Todo.Backend", "Models", "TodoItem.cs");
            MakeUnsafeModelChanges(entity);
            var edited = await DotnetAsync(repo, "build", "src/Todo.Backend", "-nodeReuse:false");
            Assert.AreEqual(0, edited.ExitCode, "model findings are warnings:\n" + edited.Output);
            AssertReportedExactly(edited.Output, entity, new Dictionary<string, (string, string)>
            {
                ["SM2001"] = ("warning", "public class TodoItem"),
                ["SM2002"] = ("warning", "public string Title"),
                ["SM2003"] = ("warning", "public int Rank"),
            });

            Assert.AreEqual(0, (await DotnetAsync(repo, "tool", "restore")).ExitCode);
            var scaffold = await DotnetAsync(Path.Combine(repo, "src", "Todo.Backend"), "ef", "migrations", "add", "UnsafeChanges");
            Assert.AreEqual(0, scaffold.ExitCode, scaffold.Output);
            var migration = Directory.GetFiles(Path.Combine(repo, "src", "Todo.Backend", "Migrations"), "*_UnsafeChanges.cs").Single();

            var unsafeBuild = await DotnetAsync(repo, "build", "src/Todo.Backend", "-nodeReuse:false");
            Assert.AreNotEqual(0, unsafeBuild.ExitCode, "errors fail the build");
            AssertReportedExactly(unsafeBuild.Output, migration, new Dictionary<string, (string, string)>
            {
                ["SM1011"] = ("error", "migrationBuilder.DropColumn("),
                ["SM1009"] = ("error", "migrationBuilder.RenameColumn("),
                ["SM1032"] = ("warning", "migrationBuilder.AddColumn<int>("),
                ["SM1001"] = ("error", "migrationBuilder.CreateIndex("),
            });

            // Severities come from .editorconfig like any analyzer's.
            await File.AppendAllTextAsync(Path.Combine(repo, ".editorconfig"), "\n[*.cs]\ndotnet_diagnostic.SM1011.severity = none\n", TestContext.CancellationToken);
            var configured = Diagnostics((await DotnetAsync(repo, "build", "src/Todo.Backend", "-nodeReuse:false")).Output);
            Assert.IsFalse(configured.Any(d => d.Id == "SM1011"));
            Assert.IsTrue(configured.Any(d => d.Id == "SM1009"));
        }
        finally
        {
            work.Delete(recursive: true);
            ForgetExtractedPackages(version);
        }
    }

    [TestMethod]
    public async Task The_repository_backend_takes_the_analyzers_from_the_package_in_the_local_feed()
    {
        var version = Regex.Match(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Directory.Build.props")), "<SafeMigrationsVersion>([^<]+)</SafeMigrationsVersion>").Groups[1].Value;
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

    /// <summary>Each run packs a new version; drop the copies NuGet extracted so they don't pile up.</summary>
    private static void ForgetExtractedPackages(string version)
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "safemigrations.analyzers", "safemigrations.abstractions" })
        {
            var extracted = new DirectoryInfo(Path.Combine(root, id, version));
            if (extracted.Exists)
            {
                extracted.Delete(recursive: true);
            }
        }
    }

    private static async Task PackAsync(string project, string feed, string version)
    {
        var pack = await DotnetAsync(RepositoryRoot.Path, "pack", project, "-c", "Release", "-o", feed, "-p:Version=" + version, "-nodeReuse:false");
        Assert.AreEqual(0, pack.ExitCode, pack.Output);
    }

    private static void CopyBackend(string repo, string version)
    {
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig", Path.Combine(".config", "dotnet-tools.json") })
        {
            var target = Path.Combine(repo, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(RepositoryRoot.Path, file), target);
        }

        foreach (var project in new[] { "Todo.Backend", "SafeMigrations.EmbeddedPostgres", "SafeMigrations.Core" })
        {
            CopyDirectory(Path.Combine(RepositoryRoot.Path, "src", project), Path.Combine(repo, "src", project));
        }

        Replace(Path.Combine(repo, "Directory.Build.props"), "<SafeMigrationsVersion>0.1.0-dev</SafeMigrationsVersion>", $"<SafeMigrationsVersion>{version}</SafeMigrationsVersion>");
        Replace(Path.Combine(repo, "Directory.Packages.props"), "  </ItemGroup>\n</Project>",
            "    <PackageVersion Include=\"SafeMigrations.Abstractions\" Version=\"$(SafeMigrationsVersion)\" />\n  </ItemGroup>\n</Project>");
        Replace(Path.Combine(repo, "src", "Todo.Backend", "Todo.Backend.csproj"), "    <PackageReference Include=\"Npgsql.EntityFrameworkCore.PostgreSQL\" />",
            "    <PackageReference Include=\"Npgsql.EntityFrameworkCore.PostgreSQL\" />\n    <PackageReference Include=\"SafeMigrations.Abstractions\" />");
    }

    /// <summary>Drop a mapped property, rename a column, add a required property, add an index: what developers do.</summary>
    private static void MakeUnsafeModelChanges(string entityFile)
    {
        Replace(entityFile, "using System.ComponentModel.DataAnnotations.Schema;", "using System.ComponentModel.DataAnnotations.Schema;\nusing Microsoft.EntityFrameworkCore;");
        Replace(entityFile, "[Table(\"todo_items\")]", "[Table(\"todo_items\")]\n[Index(nameof(Priority))]");
        Replace(entityFile, "    [MaxLength(1000)]\n    [Column(\"description\")]", "    [NotMapped]");
        Replace(entityFile, "[Column(\"title\")]", "[Column(\"name\")]");
        Replace(entityFile, "    [Column(\"completed\")]", "    [Column(\"rank\")]\n    public int Rank { get; set; }\n\n    [Column(\"completed\")]");
    }

    private static void Replace(string path, string oldText, string newText)
    {
        var text = File.ReadAllText(path);
        Assert.Contains(oldText, text, $"{path} no longer contains the text the test edits");
        File.WriteAllText(path, text.Replace(oldText, newText, StringComparison.Ordinal));
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories)
                     .Where(d => !Excluded(Path.GetRelativePath(source, d))))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories).Where(f => !Excluded(Path.GetRelativePath(source, f))))
        {
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
        }

        static bool Excluded(string relative) =>
            relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");
    }

    /// <summary>The build reported exactly these ids, each in <paramref name="file"/> on the first line containing its text.</summary>
    private static void AssertReportedExactly(string buildOutput, string file, Dictionary<string, (string Severity, string Text)> expected)
    {
        var reported = Diagnostics(buildOutput);
        CollectionAssert.AreEquivalent(expected.Keys.ToList(), reported.Select(d => d.Id).Distinct().ToList(), buildOutput);
        foreach (var (id, (severity, text)) in expected)
        {
            var diagnostic = reported.First(d => d.Id == id);
            Assert.AreEqual(Path.GetFullPath(file), Path.GetFullPath(diagnostic.File), id);
            Assert.AreEqual(LineOf(file, text), diagnostic.Line, $"{id} points at {text}");
            Assert.AreEqual(severity, diagnostic.Severity, id);
        }
    }

    private static int LineOf(string file, string text) =>
        File.ReadAllLines(file).Select((line, index) => (line, index)).First(entry => entry.line.Contains(text, StringComparison.Ordinal)).index + 1;

    private static List<(string File, int Line, string Severity, string Id)> Diagnostics(string output) =>
        DiagnosticLine().Matches(output)
            .Select(m => (m.Groups["file"].Value.Trim(), int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["severity"].Value, m.Groups["id"].Value))
            .Distinct()
            .ToList();

    private static async Task<(int ExitCode, string Output)> DotnetAsync(string workingDirectory, params string[] arguments)
    {
        using var process = ChildProcess.Start("dotnet", arguments, new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" }, workingDirectory);
        var exitCode = await process.WaitForExitAsync(CommandTimeout);
        return (exitCode, process.Output);
    }

    [GeneratedRegex(@"^(?<file>[^\n(]+)\((?<line>\d+),\d+\): (?<severity>error|warning) (?<id>SM\d{4}):", RegexOptions.Multiline)]
    private static partial Regex DiagnosticLine();
}
