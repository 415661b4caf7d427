using System.Text.Json.Nodes;
using NJsonSchema;
using SafeMigrations.Testing;

namespace SafeMigrations.Gate.Tests;

/// <summary>
/// What CI reads from safemig (JSON against the published schema, SARIF 2.1.0 against OASIS's schema, exit
/// codes 0 / 1 / 2) and bad input: one line with the cause and the fix (SM3004), a non-zero exit, no stack
/// trace, no password.
/// </summary>
[TestClass]
public sealed class GateOutputAndBadInputTests
{
    private const string Password = "Sup3r-Secret-pw";

    [TestMethod]
    public async Task Safemig_reports_validate_against_their_schemas_and_bad_input_gets_one_clear_line()
    {
        await GatePackages.EnsureAsync();
        using var app = SampleApp.Create(EfVersions.Ef10);
        Assert.AreEqual(0, (await app.SafemigAsync("migrations", "add", "Initial")).ExitCode);

        // Clean: exit code 0, JSON as docs/schemas/safemig-output.schema.json says.
        var clean = await app.SafemigAsync("check", "--format", "json", "--output", "clean.json");
        Assert.AreEqual(0, clean.ExitCode, clean.Output);
        var cleanJson = await OutputSchemas.ValidAsync(Path.Combine(app.Directory, "clean.json"), OutputSchemas.Output);
        Assert.AreEqual("ShopContext", (string?)cleanJson["contexts"]![0]!["name"]);
        Assert.AreEqual(1, cleanJson["contexts"]![0]!["migrations"]!.AsArray().Count);
        Assert.AreEqual(0, cleanJson["findings"]!.AsArray().Count);

        // Findings: a pending index on a populated table; exit code 1, SARIF 2.1.0 pointing at the snapshot.
        app.Edit("ProductConfiguration.cs", "builder.Property(p => p.Name).HasMaxLength(200);", "builder.Property(p => p.Name).HasMaxLength(200);\n        builder.HasIndex(p => p.Name);");
        // Run from a subfolder of a git repository: locations are relative to the repository root, declared as %SRCROOT%.
        Directory.CreateDirectory(Path.Combine(app.Directory, ".git"));
        var findings = await app.SafemigInAsync("Migrations", "check", "--format", "sarif", "--output", "check.sarif");
        Assert.AreEqual(1, findings.ExitCode, findings.Output);
        var sarif = await OutputSchemas.ValidAsync(Path.Combine(app.MigrationsDirectory, "check.sarif"), OutputSchemas.Sarif);
        var run = sarif["runs"]![0]!;
        Assert.AreEqual(new Uri(app.Directory + Path.DirectorySeparatorChar).AbsoluteUri, (string?)run["originalUriBaseIds"]!["%SRCROOT%"]!["uri"]);
        var result = run["results"]!.AsArray().Single(r => (string?)r!["ruleId"] == "SM3001")!;
        Assert.AreEqual("error", (string?)result["level"]);
        var artifact = result["locations"]![0]!["physicalLocation"]!["artifactLocation"]!;
        Assert.AreEqual("Migrations/ShopContextModelSnapshot.cs", (string?)artifact["uri"]);
        Assert.AreEqual("%SRCROOT%", (string?)artifact["uriBaseId"]);
        var rule = run["tool"]!["driver"]!["rules"]!.AsArray().Single(r => (string?)r!["id"] == "SM3001")!;
        StringAssert.StartsWith((string?)rule["help"]!["text"], "# SM3001: ");
        File.Delete(Path.Combine(app.MigrationsDirectory, "check.sarif"));
        Directory.Delete(Path.Combine(app.Directory, ".git"));
        var pendingJson = await app.SafemigAsync("check", "--no-build", "--format", "json", "--output", "pending.json");
        Assert.AreEqual(1, pendingJson.ExitCode, pendingJson.Output);
        var pending = await OutputSchemas.ValidAsync(Path.Combine(app.Directory, "pending.json"), OutputSchemas.Output);
        var change = pending["contexts"]![0]!["pendingChanges"]!.AsArray().Single()!;
        CollectionAssert.Contains(change["ruleIds"]!.AsArray().Select(id => (string?)id).ToList(), "SM1001");
        var warnOnly = await app.SafemigAsync("check", "--no-build", "--warn-only");
        Assert.AreEqual(0, warnOnly.ExitCode, warnOnly.Output);

        // Usage errors: exit code 2 and what to do.
        var usage = await app.SafemigAsync("check", "--format", "xml");
        Assert.AreEqual(2, usage.ExitCode, usage.Output);
        StringAssert.Contains(usage.Output, "safemig --help");

        // An unreachable database with a password: the status says so, and the password is nowhere.
        var status = await app.SafemigAsync("status", "--no-build", "--connection", $"Host=127.0.0.1;Port=1;Database=shop;Username=shop;Password={Password};Timeout=3");
        Assert.DoesNotContain(Password, status.Output);
        StringAssert.Contains(status.Output, "127.0.0.1");

        // A DbContext that cannot be created: one SM3004 line with the cause and the fix, exit code 2, no stack trace.
        app.Edit("ShopContext.cs", "public ShopContext CreateDbContext(string[] args) =>", "public ShopContext CreateDbContext(string[] args) => throw new InvalidOperationException($\"cannot reach Host=db;Password=" + Password + "\");\n\n    public ShopContext Unused(string[] args) =>");
        var broken = await app.SafemigAsync("check");
        Assert.AreEqual(2, broken.ExitCode, broken.Output);
        StringAssert.Contains(broken.Output, "SM3004");
        StringAssert.Contains(broken.Output, "ShopContext could not be created");
        StringAssert.Contains(broken.Output, "IDesignTimeDbContextFactory");
        Assert.DoesNotContain(Password, broken.Output);
        Assert.DoesNotContain("   at ", broken.Output, "no stack trace");
        var brokenBuild = await app.BuildAsync();
        Assert.AreNotEqual(0, brokenBuild.ExitCode, brokenBuild.Output);
        StringAssert.Contains(SampleApp.One(brokenBuild.Output, "SM3004").Message, "could not be created");
        Assert.DoesNotContain(Password, brokenBuild.Output);
        app.Edit("ShopContext.cs", "throw new InvalidOperationException($\"cannot reach Host=db;Password=" + Password + "\");\n\n    public ShopContext Unused(string[] args) =>", string.Empty);

        // A migration that throws while EF builds its operations: SM3004 at the migration.
        var initial = app.Migration("Initial");
        app.Edit(initial, "migrationBuilder.CreateTable(\n                name: \"products\",", "if (ActiveProvider != \"none\") throw new NotSupportedException(\"unfinished\");\n            migrationBuilder.CreateTable(\n                name: \"products\",");
        var throwing = await app.BuildAsync();
        Assert.AreNotEqual(0, throwing.ExitCode, throwing.Output);
        var thrown = SampleApp.One(throwing.Output, "SM3004");
        Assert.AreEqual(initial, thrown.File);
        StringAssert.Contains(thrown.Message, "unfinished");
        app.Edit(initial, "if (ActiveProvider != \"none\") throw new NotSupportedException(\"unfinished\");\n            ", string.Empty);

        // A hand-edited lock file: SM3004 at the lock file, telling to restore it.
        Assert.AreEqual(0, (await app.SafemigAsync("lock", "update")).ExitCode);
        File.AppendAllText(app.LockFile, "edited by hand\n");
        var corrupt = await app.BuildAsync();
        Assert.AreNotEqual(0, corrupt.ExitCode, corrupt.Output);
        var untrusted = SampleApp.One(corrupt.Output, "SM3004");
        Assert.AreEqual(app.LockFile, untrusted.File);
        StringAssert.Contains(untrusted.Message, "cannot be trusted");
        File.Delete(app.LockFile);

        // Without Microsoft.EntityFrameworkCore.Design: the fix is to add it.
        app.Edit("Shop.csproj", $"<PackageReference Include=\"Microsoft.EntityFrameworkCore.Design\" Version=\"{app.Versions.Ef}\" PrivateAssets=\"all\" />", string.Empty);
        var noDesign = await app.BuildAsync();
        Assert.AreNotEqual(0, noDesign.ExitCode, noDesign.Output);
        StringAssert.Contains(SampleApp.One(noDesign.Output, "SM3004").Message, "Microsoft.EntityFrameworkCore.Design");
    }

    [TestMethod]
    public async Task A_non_PostgreSQL_provider_skips_the_PostgreSQL_rules_saying_so_and_still_checks_pending_changes()
    {
        await GatePackages.EnsureAsync();
        var versions = EfVersions.Ef10;
        using var app = SampleApp.Create(versions);
        app.Write("Shop.csproj", app.ProjectFile().Replace(
            "<PackageReference Include=\"Npgsql.EntityFrameworkCore.PostgreSQL\"",
            $"<PackageReference Include=\"Microsoft.EntityFrameworkCore.SqlServer\" Version=\"{versions.Ef}\" />\n    <PackageReference Include=\"Npgsql.EntityFrameworkCore.PostgreSQL\"",
            StringComparison.Ordinal));
        app.Edit("ShopContext.cs", ".UseNpgsql(Environment.GetEnvironmentVariable(\"SHOP_DATABASE\") ?? \"Host=localhost;Database=shop\")", ".UseSqlServer(\"Server=localhost;Database=shop;Trusted_Connection=True\")");
        Assert.AreEqual(0, (await app.SafemigAsync("migrations", "add", "Initial")).ExitCode);
        app.Edit("ProductConfiguration.cs", "builder.Property(p => p.Name).HasMaxLength(200);", "builder.Property(p => p.Name).HasMaxLength(200);\n        builder.HasIndex(p => p.Name);");

        var build = await app.BuildAsync();
        Assert.AreNotEqual(0, build.ExitCode, build.Output);
        StringAssert.Contains(build.Output, "not PostgreSQL: the PostgreSQL rules are skipped");
        var pending = SampleApp.One(build.Output, "SM3001");
        StringAssert.EndsWith(pending.File, "ShopContextModelSnapshot.cs");
        Assert.IsFalse(SampleApp.Findings(build.Output).Any(f => f.Id.StartsWith("SM1", StringComparison.Ordinal)), build.Output);
    }
}
