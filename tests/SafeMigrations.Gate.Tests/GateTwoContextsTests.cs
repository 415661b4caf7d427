using System.Text.Json.Nodes;
using Npgsql;
using SafeMigrations.Testing;

namespace SafeMigrations.Gate.Tests;

/// <summary>
/// What a deploy pipeline relies on, on the app shape that broke it: a web app with two DbContexts (EF Core 8,
/// configured by its host builder), logging at Information to stdout or stderr as `dotnet new web` sets it up,
/// and printing from its startup code. Every command's exit code is the worst outcome of any context, the app's
/// output never corrupts the host's answer, and a migration named with --to acts on the context that has it.
/// </summary>
[TestClass]
public sealed class GateTwoContextsTests
{
    private const string StartupLine = "TwoContexts starting: hello from Program.cs";
    private const string StartupErrorLine = "TwoContexts: a line on stderr from Program.cs";

    [TestMethod]
    public async Task Exit_codes_are_the_worst_of_any_context_and_the_apps_logging_never_mixes_with_the_answer()
    {
        await GatePackages.EnsureAsync();
        using var app = CreateWebApp(EfVersions.Ef8);
        var connection = await SharedPostgres.CreateDatabaseAsync("gate-two-contexts");
        await using var database = NpgsqlDataSource.Create(connection);
        var toStderr = new Dictionary<string, string?> { ["LOG_TO_STDERR"] = "1" };

        // As dotnet ef: with two contexts whose models changed, migrations add names them and writes nothing.
        var both = await app.SafemigAsync("migrations", "add", "Initial");
        Assert.AreEqual(2, both.ExitCode, both.Output);
        StringAssert.Contains(both.Output, "AuditContext and OrdersContext have pending model changes");
        StringAssert.Contains(both.Output, "--context AuditContext");
        Assert.IsFalse(Directory.Exists(app.MigrationsDirectory), "nothing written");

        var orders = await app.SafemigAsync("migrations", "add", "Initial", "--context", "OrdersContext", "--no-build");
        Assert.AreEqual(0, orders.ExitCode, orders.Output);
        var audit = await app.SafemigAsync("migrations", "add", "Initial", "--context", "AuditContext", "--no-build");
        Assert.AreEqual(0, audit.ExitCode, audit.Output);

        // The build gate runs the app's host builder for both contexts: the app's output is no finding.
        var build = await app.BuildAsync();
        Assert.AreEqual(0, build.ExitCode, build.Output);
        Assert.IsEmpty(SampleApp.Findings(build.Output), build.Output);

        // apply: both contexts applied, exit 0, while EF's command log goes to stdout at Information.
        var applied = await app.SafemigAsync("apply", "--no-build", "--connection", connection, "--format", "json");
        Assert.AreEqual(0, applied.ExitCode, applied.Output);
        var runs = (await OutputSchemas.ValidTextAsync(app.Directory, "apply.json", Database.Json(applied.Output)))["runs"]!.AsArray();
        Assert.HasCount(2, runs);
        Assert.IsTrue(runs.All(r => r!["error"] is null && r["skipped"] is null && r["steps"]!.AsArray().Count == 1), applied.Output);
        var first = (string)runs[0]!["context"]!;
        var second = (string)runs[1]!["context"]!;
        Assert.AreEqual(1L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'Orders'"));
        Assert.AreEqual(1L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'Entries'"));

        // The app logging to stderr: still exit 0; --verbose passes what it prints through, unchanged.
        var verbose = await app.SafemigWithAsync(toStderr, ".", "apply", "--no-build", "--connection", connection, "--verbose");
        Assert.AreEqual(0, verbose.ExitCode, verbose.Output);
        StringAssert.Contains(verbose.Output, StartupLine);
        StringAssert.Contains(verbose.Output, StartupErrorLine);
        StringAssert.Contains(verbose.Output, $"{first}: up to date");
        StringAssert.Contains(verbose.Output, $"{second}: up to date");
        var quiet = await app.SafemigWithAsync(toStderr, ".", "status", "--no-build", "--connection", connection);
        Assert.AreEqual(0, quiet.ExitCode, quiet.Output);
        Assert.DoesNotContain(StartupLine, quiet.Output, "without --verbose the app's output stays out of the report");

        // history: the database's trail, each row naming its context.
        var history = await app.SafemigAsync("history", "--no-build", "--connection", connection, "--format", "json");
        Assert.AreEqual(0, history.ExitCode, history.Output);
        var rows = (await OutputSchemas.ValidTextAsync(app.Directory, "history.json", Database.Json(history.Output)))["runs"]![0]!["history"]!.AsArray();
        CollectionAssert.AreEquivalent(new[] { "AuditContext", "OrdersContext" }, rows.Select(r => (string?)r!["context"]).ToList());

        // A migration that fails in the first context and an unsafe one in it; a safe one in the second.
        app.Write($"Migrations/20300101000100_Break{first}.cs", Migration(first, $"20300101000100_Break{first}",
            $"migrationBuilder.AddColumn<int>(name: \"Broken\", table: \"{Table(first)}\", nullable: false);\n        migrationBuilder.Sql(\"SELECT 1/0;\");",
            $"migrationBuilder.DropColumn(name: \"Broken\", table: \"{Table(first)}\");"));
        var addLevel = $"20300101000000_Add{second}Level";
        app.Write($"Migrations/{addLevel}.cs", Migration(second, addLevel,
            $"migrationBuilder.AddColumn<int>(name: \"Level\", table: \"{Table(second)}\", nullable: true);",
            $"migrationBuilder.DropColumn(name: \"Level\", table: \"{Table(second)}\");"));

        var check = await app.SafemigAsync("check");
        Assert.AreEqual(1, check.ExitCode, check.Output);
        StringAssert.Contains(check.Output, "SM1004");
        var plan = await app.SafemigAsync("plan", "--no-build", "--connection", connection);
        Assert.AreEqual(1, plan.ExitCode, plan.Output);
        StringAssert.Contains(plan.Output, $"Break{first}");
        StringAssert.Contains(plan.Output, addLevel);

        var failing = await app.SafemigAsync("apply", "--no-build", "--connection", connection);
        Assert.AreEqual(1, failing.ExitCode, failing.Output);
        StringAssert.Contains(failing.Output, "division by zero");
        StringAssert.Contains(failing.Output, $"{first}: failed");
        StringAssert.Contains(failing.Output, $"{second}: not run ({first} failed first)");
        Assert.AreEqual(0L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM information_schema.columns WHERE column_name IN ('Broken', 'Level')"), "the database as before");

        // --to names a migration of one context: only that one acts; a name both have is refused, listing both.
        var ambiguous = await app.SafemigAsync("rollback", "--no-build", "--connection", connection, "--to", "Initial");
        Assert.AreEqual(2, ambiguous.ExitCode, ambiguous.Output);
        StringAssert.Contains(ambiguous.Output, "names a migration of more than one context");
        StringAssert.Contains(ambiguous.Output, "OrdersContext (");
        StringAssert.Contains(ambiguous.Output, "AuditContext (");
        var unknown = await app.SafemigAsync("apply", "--no-build", "--connection", connection, "--to", "NoSuchMigration");
        Assert.AreEqual(2, unknown.ExitCode, unknown.Output);
        StringAssert.Contains(unknown.Output, "No context has a migration 'NoSuchMigration'");

        var onlySecond = await app.SafemigAsync("apply", "--no-build", "--connection", connection, "--to", addLevel);
        Assert.AreEqual(0, onlySecond.ExitCode, onlySecond.Output);
        StringAssert.Contains(onlySecond.Output, $"{first}: not run ('{addLevel}' is a migration of {second})");
        StringAssert.Contains(onlySecond.Output, $"{second}: 1 applied");
        Assert.AreEqual(1L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'Level'"));

        var drift = await app.SafemigAsync("drift", "--no-build", "--connection", connection);
        Assert.AreEqual(0, drift.ExitCode, drift.Output);
        Assert.DoesNotContain("table \"", drift.Output, "each context's tables are the other's mapped tables, not drift");

        var secondInitial = ((string)runs[1]!["steps"]![0]!["migrationId"]!)!;
        var rollback = await app.SafemigAsync("rollback", "--no-build", "--connection", connection, "--to", secondInitial);
        Assert.AreEqual(0, rollback.ExitCode, rollback.Output);
        StringAssert.Contains(rollback.Output, $"{second}: 1 reverted");
        StringAssert.Contains(rollback.Output, $"{first}: not run");
        Assert.AreEqual(0L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'Level'"));

        var restore = await app.SafemigAsync("restore", "--no-build", "--connection", connection, "--migration", "Initial");
        Assert.AreEqual(2, restore.ExitCode, restore.Output);
        StringAssert.Contains(restore.Output, "more than one context");
    }

    private static string Table(string context) => context == "OrdersContext" ? "Orders" : "Entries";

    /// <summary>The app as `dotnet new web` writes it (Information logging to the console), with two contexts and EF Core.</summary>
    private static SampleApp CreateWebApp(EfVersions versions)
    {
        var app = SampleApp.CreateEmpty(versions);
        app.Write("TwoContexts.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.EntityFrameworkCore.Design" Version="{versions.Ef}" PrivateAssets="all" />
                <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="{versions.Npgsql}" />
                <PackageReference Include="SafeMigrations.Build" Version="{GatePackages.Version}" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """);
        app.Write("appsettings.json", """
            {
              "Logging": {
                "LogLevel": {
                  "Default": "Information",
                  "Microsoft.AspNetCore": "Warning"
                }
              },
              "AllowedHosts": "*",
              "ConnectionStrings": { "Db": "Host=localhost;Database=two_contexts" }
            }
            """);
        app.Write("Data.cs", """
            using Microsoft.EntityFrameworkCore;

            namespace TwoContexts;

            public class Order
            {
                public long Id { get; set; }

                public string Code { get; set; } = "";
            }

            public class AuditEntry
            {
                public long Id { get; set; }

                public string Text { get; set; } = "";
            }

            public class OrdersContext(DbContextOptions<OrdersContext> options) : DbContext(options)
            {
                public DbSet<Order> Orders => Set<Order>();
            }

            public class AuditContext(DbContextOptions<AuditContext> options) : DbContext(options)
            {
                public DbSet<AuditEntry> Entries => Set<AuditEntry>();
            }
            """);
        app.Write("Program.cs", $$"""
            using Microsoft.EntityFrameworkCore;
            using TwoContexts;

            Console.WriteLine("{{StartupLine}}");
            Console.Error.WriteLine("{{StartupErrorLine}}");
            var builder = WebApplication.CreateBuilder(args);
            if (Environment.GetEnvironmentVariable("LOG_TO_STDERR") == "1")
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            }

            var connection = builder.Configuration.GetConnectionString("Db");
            builder.Services.AddDbContext<OrdersContext>(o => o.UseNpgsql(connection));
            builder.Services.AddDbContext<AuditContext>(o => o.UseNpgsql(connection));
            var app = builder.Build();
            app.MapGet("/", () => "Hello World!");
            app.Run();
            """);
        return app;
    }

    private static string Migration(string context, string id, string up, string down) => $$"""
        using Microsoft.EntityFrameworkCore.Infrastructure;
        using Microsoft.EntityFrameworkCore.Migrations;

        namespace TwoContexts.Migrations;

        [DbContext(typeof({{context}}))]
        [Migration("{{id}}")]
        public class {{id[15..]}} : Migration
        {
            protected override void Up(MigrationBuilder migrationBuilder)
            {
                {{up}}
            }

            protected override void Down(MigrationBuilder migrationBuilder)
            {
                {{down}}
            }
        }
        """;
}
