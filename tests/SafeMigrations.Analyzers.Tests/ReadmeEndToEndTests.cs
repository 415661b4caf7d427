using System.Globalization;
using System.Text.RegularExpressions;
using SafeMigrations.Testing;

namespace SafeMigrations.Analyzers.Tests;

/// <summary>
/// The README's "Use it in your app" followed on a fresh project, as a new user would, with EF Core 10
/// and with EF Core 8: packages from a local feed added with the README's commands, a model, migrations
/// scaffolded by the real `dotnet ef`, then an unsafe change. Every `dotnet ef` command keeps working
/// while the unsafe migration exists; `dotnet build` fails on it at the file and line, with a help link
/// built from the repository URL the packages were packed with.
/// </summary>
[TestClass]
public sealed partial class ReadmeEndToEndTests
{
    private const string RepositoryUrl = "https://github.com/example/safemigrations";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim PackGate = new(1, 1);
    private static string? feed;
    private static string? version;

    public TestContext TestContext { get; set; } = null!;

    [ClassCleanup]
    public static void ForgetPackages()
    {
        if (version is not null)
        {
            PackageFeed.ForgetExtracted(version);
        }

        if (feed is not null && Directory.Exists(feed))
        {
            Directory.Delete(feed, recursive: true);
        }
    }

    [TestMethod]
    [DataRow("10.0.4", "10.0.3", "10.0.11", DisplayName = "EF Core 10")]
    [DataRow("8.0.30", "8.0.11", "8.0.30", DisplayName = "EF Core 8")]
    public async Task A_new_app_follows_the_readme_and_dotnet_ef_is_never_blocked(string efVersion, string npgsqlVersion, string toolVersion)
    {
        // EF Core 8's analyzers and gate are in the suite elsewhere (RuleExamples.Ef8, the gate's EF 8 run): its README run is on demand.
        if (!efVersion.StartsWith("10.", StringComparison.Ordinal) && Environment.GetEnvironmentVariable("SAFEMIGRATIONS_ALL_EF_VERSIONS") != "1")
        {
            Assert.Inconclusive($"EF Core {efVersion}: on demand (SAFEMIGRATIONS_ALL_EF_VERSIONS=1).");
        }

        var packages = await PackOnceAsync();
        var app = Directory.CreateTempSubdirectory("safemigrations-readme-").FullName;
        var database = await SharedPostgres.CreateDatabaseAsync("readme_e2e");
        try
        {
            // A plain library with EF Core and Npgsql, as a new user has it.
            await RunAsync(app, "new", "classlib", "--framework", "net10.0", "--name", "Todo", "--output", ".");
            File.Delete(Path.Combine(app, "Class1.cs"));
            await RunAsync(app, "add", "package", "Microsoft.EntityFrameworkCore.Design", "--version", efVersion);
            await RunAsync(app, "add", "package", "Npgsql.EntityFrameworkCore.PostgreSQL", "--version", npgsqlVersion);
            await RunAsync(app, "new", "tool-manifest");
            await RunAsync(app, "tool", "install", "dotnet-ef", "--version", toolVersion);
            WriteModel(app);

            // The README's commands, word for word but for the path of the feed.
            await RunAsync(app, "new", "nugetconfig");
            await RunAsync(app, "nuget", "add", "source", packages, "--name", "safemigrations", "--configfile", "nuget.config");
            await RunAsync(app, "add", "package", "SafeMigrations.Analyzers", "--prerelease");
            await RunAsync(app, "add", "package", "SafeMigrations.Abstractions", "--prerelease");

            await EfAsync(app, database, "migrations", "add", "Initial");
            var clean = await BuildAsync(app);
            Assert.AreEqual(0, clean.ExitCode, clean.Output);
            Assert.IsEmpty(Diagnostics(clean.Output), "the first migration creates its tables: nothing to report\n" + clean.Output);

            // The risky edit: a column dropped, a plain index, a flag, a rank whose default is configured.
            Edit(Path.Combine(app, "TodoItem.cs"), "    public string? Description { get; set; }\n", """
                    public bool IsArchived { get; set; }

                    public int Rank { get; set; }

                """);
            Edit(Path.Combine(app, "TodoContext.cs"), "todo.Property(t => t.Description).HasColumnName(\"description\");", "todo.HasIndex(t => t.Title);\n            todo.Property(t => t.Rank).HasDefaultValue(0);");
            var edited = await BuildAsync(app);
            Assert.AreEqual(0, edited.ExitCode, "model findings are warnings\n" + edited.Output);
            CollectionAssert.IsSubsetOf(new[] { "SM2001", "SM2010" }, Diagnostics(edited.Output).Select(d => d.Id).ToList(), edited.Output);

            // Never in the way of dotnet ef: scaffold, list, script, undo, scaffold again, apply.
            await EfAsync(app, database, "migrations", "add", "Unsafe");
            var migration = Directory.GetFiles(Path.Combine(app, "Migrations"), "*_Unsafe.cs").Single();
            var failed = await BuildAsync(app);
            Assert.AreNotEqual(0, failed.ExitCode, "an error fails dotnet build\n" + failed.Output);
            var errors = Diagnostics(failed.Output).Where(d => d.Severity == "error").ToList();
            CollectionAssert.AreEquivalent(new[] { "SM1001", "SM1011" }, errors.Select(d => d.Id).Distinct().ToList(), failed.Output);
            Assert.AreEqual(LineOf(migration, "migrationBuilder.DropColumn("), errors.Single(d => d.Id == "SM1011").Line);
            Assert.AreEqual(LineOf(migration, "migrationBuilder.CreateIndex("), errors.Single(d => d.Id == "SM1001").Line);
            StringAssert.Contains(failed.Output, $"({RepositoryUrl}/blob/main/docs/rules/SM1011.md)", "the help link comes from the repository URL the package was packed with");
            Assert.IsTrue(File.Exists(Path.Combine(RepositoryRoot.Path, "docs", "rules", "SM1011.md")), "and names a page that exists");
            Assert.IsFalse(Diagnostics(failed.Output).Any(d => d.Id == "SM1032"), "Rank's default is configured (HasDefaultValue), and a false flag is information\n" + failed.Output);

            StringAssert.Contains(await EfAsync(app, database, "migrations", "list"), "_Unsafe");
            StringAssert.Contains(await EfAsync(app, database, "migrations", "script"), "DROP COLUMN description");
            await EfAsync(app, database, "migrations", "remove");
            Assert.IsFalse(File.Exists(migration), "dotnet ef migrations remove undid the migration the error points at");
            await EfAsync(app, database, "migrations", "add", "Unsafe");
            await EfAsync(app, database, "database", "update");

            // A justified suppression in the migration, as the README shows it.
            migration = Directory.GetFiles(Path.Combine(app, "Migrations"), "*_Unsafe.cs").Single();
            Edit(migration, "namespace Todo.Migrations", "using SafeMigrations;\n\nnamespace Todo.Migrations");
            Edit(migration, "    public partial class Unsafe", "    [SuppressMigrationRule(\"SM1011\", Justification = \"description is not mapped since the previous release\")]\n    [SuppressMigrationRule(\"SM1001\", Justification = \"todo_items is empty in this test\")]\n    public partial class Unsafe");
            var suppressed = await BuildAsync(app);
            Assert.AreEqual(0, suppressed.ExitCode, suppressed.Output);
        }
        finally
        {
            Directory.Delete(app, recursive: true);
            await SharedPostgres.DropDatabaseAsync(database);
        }
    }

    /// <summary>The packages as the README builds them, with a version of their own (NuGet keeps the first copy of a version it sees) and the repository URL a release is packed with.</summary>
    private static async Task<string> PackOnceAsync()
    {
        await PackGate.WaitAsync();
        try
        {
            if (feed is null)
            {
                var folder = Directory.CreateTempSubdirectory("safemigrations-feed-").FullName;
                version = "0.1.0-readme." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
                foreach (var project in new[] { Path.Combine("analyzers", "SafeMigrations.Analyzers.Package"), Path.Combine("src", "SafeMigrations.Abstractions") })
                {
                    var pack = await DotnetAsync(RepositoryRoot.Path, null, "pack", project, "-c", "Release", "-o", folder, "-p:Version=" + version, "-p:MinVerSkip=true", "-p:RepositoryUrl=" + RepositoryUrl, "-nodeReuse:false");
                    Assert.AreEqual(0, pack.ExitCode, pack.Output);
                }

                feed = folder;
            }

            return feed;
        }
        finally
        {
            PackGate.Release();
        }
    }

    private static void WriteModel(string app)
    {
        File.WriteAllText(Path.Combine(app, "TodoItem.cs"), """
            namespace Todo;

            public class TodoItem
            {
                public long Id { get; set; }

                public string Title { get; set; } = "";

                public string? Description { get; set; }
            }
            """);
        File.WriteAllText(Path.Combine(app, "TodoContext.cs"), """
            using Microsoft.EntityFrameworkCore;
            using Microsoft.EntityFrameworkCore.Design;

            namespace Todo;

            public class TodoContext(DbContextOptions<TodoContext> options) : DbContext(options)
            {
                public DbSet<TodoItem> TodoItems => Set<TodoItem>();

                protected override void OnModelCreating(ModelBuilder modelBuilder)
                {
                    modelBuilder.Entity<TodoItem>(todo =>
                    {
                        todo.ToTable("todo_items");
                        todo.Property(t => t.Id).HasColumnName("id");
                        todo.Property(t => t.Title).HasColumnName("title");
                        todo.Property(t => t.Description).HasColumnName("description");
                    });
                }
            }

            public class TodoContextFactory : IDesignTimeDbContextFactory<TodoContext>
            {
                public TodoContext CreateDbContext(string[] args) =>
                    new(new DbContextOptionsBuilder<TodoContext>()
                        .UseNpgsql(Environment.GetEnvironmentVariable("TODO_DATABASE") ?? "Host=localhost;Database=todo")
                        .Options);
            }
            """);
    }

    private static async Task<(int ExitCode, string Output)> BuildAsync(string app) => await DotnetAsync(app, null, "build", "-nodeReuse:false");

    /// <summary>`dotnet ef …` in the app; the tool of EF Core 8 runs on this machine's newer runtime, as users of a newer SDK run it.</summary>
    private static async Task<string> EfAsync(string app, string database, params string[] arguments)
    {
        var result = await DotnetAsync(app, new Dictionary<string, string?> { ["TODO_DATABASE"] = database, ["DOTNET_ROLL_FORWARD"] = "Major" }, ["ef", .. arguments]);
        Assert.AreEqual(0, result.ExitCode, $"dotnet ef {string.Join(' ', arguments)} must work while an unsafe migration exists:\n{result.Output}");
        return result.Output;
    }

    private static async Task RunAsync(string app, params string[] arguments)
    {
        var result = await DotnetAsync(app, null, arguments);
        Assert.AreEqual(0, result.ExitCode, $"dotnet {string.Join(' ', arguments)}:\n{result.Output}");
    }

    private static async Task<(int ExitCode, string Output)> DotnetAsync(string workingDirectory, Dictionary<string, string?>? environment, params string[] arguments)
    {
        var variables = new Dictionary<string, string?>(environment ?? []) { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
        using var process = ChildProcess.Start("dotnet", arguments, variables, workingDirectory);
        var exitCode = await process.WaitForExitAsync(CommandTimeout);
        return (exitCode, process.Output);
    }

    private static void Edit(string path, string oldText, string newText)
    {
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.Contains(oldText, text, $"{path} no longer contains the text the test edits");
        File.WriteAllText(path, text.Replace(oldText, newText, StringComparison.Ordinal));
    }

    private static int LineOf(string file, string text) =>
        File.ReadAllLines(file).Select((line, index) => (line, index)).First(entry => entry.line.Contains(text, StringComparison.Ordinal)).index + 1;

    private static List<(string Id, string Severity, int Line)> Diagnostics(string output) =>
        DiagnosticLine().Matches(output)
            .Select(m => (m.Groups["id"].Value, m.Groups["severity"].Value, int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture)))
            .Distinct()
            .ToList();

    [GeneratedRegex(@"\((?<line>\d+),\d+\): (?<severity>error|warning) (?<id>SM\d{4}):", RegexOptions.Multiline)]
    private static partial Regex DiagnosticLine();
}
