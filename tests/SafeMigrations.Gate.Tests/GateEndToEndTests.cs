using Npgsql;
using SafeMigrations.Testing;

namespace SafeMigrations.Gate.Tests;

/// <summary>
/// The build gate on an EF Core 10 app, as a developer meets it: the packages from a local feed, the real
/// dotnet build, dotnet ef and safemig, migrations applied to a real PostgreSQL.
/// </summary>
[TestClass]
public sealed class GateEndToEndTests
{
    [TestMethod]
    public async Task The_gate_judges_the_model_EF_builds_and_never_blocks_dotnet_ef()
    {
        await GatePackages.EnsureAsync();
        using var app = SampleApp.Create(EfVersions.Ef10);
        app.Database = await SharedPostgres.CreateDatabaseAsync("gate_e2e");

        // The first migration, scaffolded by safemig with EF's own scaffolder: the build passes and records it.
        var initial = await app.SafemigAsync("migrations", "add", "Initial");
        Assert.AreEqual(0, initial.ExitCode, initial.Output);
        var clean = await app.BuildAsync();
        Assert.AreEqual(0, clean.ExitCode, clean.Output);
        Assert.IsEmpty(SampleApp.Findings(clean.Output).Where(f => f.Severity == "error"), clean.Output);
        StringAssert.Contains(File.ReadAllText(app.LockFile), "_Initial h1:", "the build records the migration in the lock file");

        // Nothing changed: the gate is skipped.
        var noOp = await app.BuildAsync("-v:n");
        Assert.AreEqual(0, noOp.ExitCode, noOp.Output);
        StringAssert.Contains(noOp.Output, "Skipping target \"SafeMigrationsCheck\" because all output files are up-to-date");

        // An IDE's design-time build never runs it, even with inputs changed.
        app.Edit("Product.cs", "public string? Notes { get; set; }", "public string? Notes { get; set; }\n\n    public string? Sku { get; set; }");
        var stamp = Path.Combine(app.Directory, "obj", "Debug", "net10.0", "Shop.safemigrations.stamp");
        var stampTime = File.GetLastWriteTimeUtc(stamp);
        var designTime = await Dotnet.RunAsync(app.Directory, ["msbuild", "-t:Build", "-p:DesignTimeBuild=true", "-v:d", "-nologo"]);
        Assert.AreEqual(0, designTime.ExitCode, designTime.Output);
        StringAssert.Contains(designTime.Output, "Target \"CoreCompile\" in file", "the design-time build compiled the change");
        Assert.DoesNotContain("Target \"SafeMigrationsCheck\" in file", designTime.Output);
        Assert.AreEqual(stampTime, File.GetLastWriteTimeUtc(stamp), "the gate did not run");

        // A change made only in the configuration class of another file: SM3001 on the snapshot, each change judged.
        app.Edit("Product.cs", "\n\n    public string? Sku { get; set; }", string.Empty);
        app.Edit("ProductConfiguration.cs", "builder.Property(p => p.Name).HasMaxLength(200);", "builder.Property(p => p.Name).HasMaxLength(200);\n        builder.HasIndex(p => p.Name);");
        var pending = await app.BuildAsync();
        Assert.AreNotEqual(0, pending.ExitCode, pending.Output);
        var sm3001 = SampleApp.One(pending.Output, "SM3001");
        StringAssert.EndsWith(sm3001.File, "ShopContextModelSnapshot.cs");
        StringAssert.Contains(sm3001.Message, "CREATE INDEX \"IX_products_Name\" ON \"products\" (SM1001 error)");

        // dotnet ef is never blocked: it scaffolds the unsafe migration, scripts it and removes it; the build fails at its line.
        var efAdd = await app.EfAsync("migrations", "add", "AddNameIndex");
        Assert.AreEqual(0, efAdd.ExitCode, efAdd.Output);
        var unsafeBuild = await app.BuildAsync();
        Assert.AreNotEqual(0, unsafeBuild.ExitCode, unsafeBuild.Output);
        var sm1001 = SampleApp.One(unsafeBuild.Output, "SM1001");
        Assert.AreEqual(app.Migration("AddNameIndex"), sm1001.File);
        Assert.AreEqual(SampleApp.LineOf(sm1001.File, "migrationBuilder.CreateIndex("), sm1001.Line);
        var script = await app.EfAsync("migrations", "script");
        Assert.AreEqual(0, script.ExitCode, script.Output);
        StringAssert.Contains(script.Output, "CREATE INDEX \"IX_products_Name\"");
        var remove = await app.EfAsync("migrations", "remove");
        Assert.AreEqual(0, remove.ExitCode, remove.Output);

        // safemig writes the safe form instead: named after the change, the index built concurrently alone.
        var safeAdd = await app.SafemigAsync("migrations", "add");
        Assert.AreEqual(0, safeAdd.ExitCode, safeAdd.Output);
        var indexMigration = app.Migration("AddProductNameIndex");
        // Re-runnable under a plain dotnet ef database update: an INVALID index a failed build left is dropped first.
        StringAssert.Contains(File.ReadAllText(indexMigration), "CREATE INDEX CONCURRENTLY IF NOT EXISTS \\\"IX_products_Name\\\" ON \\\"products\\\" (\\\"Name\\\");\", suppressTransaction: true)");
        StringAssert.Contains(File.ReadAllText(indexMigration), "AND NOT i.indisvalid");
        var safeBuild = await app.BuildAsync();
        Assert.AreEqual(0, safeBuild.ExitCode, safeBuild.Output);
        var update = await app.EfAsync("database", "update");
        Assert.AreEqual(0, update.ExitCode, update.Output);
        Assert.IsTrue(await ScalarAsync<bool>(app.Database, "SELECT indisvalid FROM pg_index WHERE indexrelid = '\"IX_products_Name\"'::regclass"), "the concurrent index was built and is valid");

        // A column dropped: SM1011 at the call; suppressed with a justification, the previous release still breaks (SM3005);
        // marked as the contract step, it passes.
        app.Edit("Product.cs", "\n    public string? Notes { get; set; }\n", string.Empty);
        // dotnet ef writes the drop as EF scaffolds it (safemig's contract form is GeneratedSafeFormsTests').
        var dropAdd = await app.EfAsync("migrations", "add", "RemoveNotes");
        Assert.AreEqual(0, dropAdd.ExitCode, dropAdd.Output);
        var removeNotes = app.Migration("RemoveNotes");
        var dropped = await app.BuildAsync();
        var sm1011 = SampleApp.One(dropped.Output, "SM1011");
        Assert.AreEqual(SampleApp.LineOf(removeNotes, "migrationBuilder.DropColumn("), sm1011.Line, dropped.Output);
        app.Edit(removeNotes, "    public partial class RemoveNotes", "    [SafeMigrations.SuppressMigrationRule(\"SM1011\", Justification = \"Notes unmapped since the previous release\")]\n    public partial class RemoveNotes");
        var suppressed = await app.BuildAsync();
        Assert.AreNotEqual(0, suppressed.ExitCode, suppressed.Output);
        var sm3005 = SampleApp.One(suppressed.Output, "SM3005");
        Assert.AreEqual(SampleApp.LineOf(removeNotes, "migrationBuilder.DropColumn("), sm3005.Line);
        StringAssert.Contains(sm3005.Message, "\"Notes\"");
        app.Edit(removeNotes, "    public partial class RemoveNotes", "    [SafeMigrations.ContractMigration(Justification = \"Notes unmapped since the previous release\")]\n    public partial class RemoveNotes");
        var contract = await app.BuildAsync();
        Assert.AreEqual(0, contract.ExitCode, contract.Output);

        // A recorded migration edited: SM3003 at its class.
        var initialFile = app.Migration("Initial");
        app.Edit(initialFile, "maxLength: 200", "maxLength: 250");
        var edited = await app.BuildAsync();
        Assert.AreNotEqual(0, edited.ExitCode, edited.Output);
        var sm3003 = SampleApp.One(edited.Output, "SM3003");
        Assert.AreEqual(initialFile, sm3003.File);
        app.Edit(initialFile, "maxLength: 250", "maxLength: 200");

        // Generate on build: in CI (the lock file is verified there) nothing is written, and SM3001 says what to run locally …
        app.Edit("Product.cs", "public class Product\n{\n", "public class Product\n{\n    public int? Stock { get; set; }\n\n");
        var migrationFiles = Directory.GetFiles(app.MigrationsDirectory).Length;
        var lockText = File.ReadAllText(app.LockFile);
        var inCi = await Dotnet.RunAsync(app.Directory, ["build", "-nologo", "-p:SafeMigrationsGenerateOnBuild=true"], new Dictionary<string, string?> { ["CI"] = "true" });
        Assert.AreNotEqual(0, inCi.ExitCode, inCi.Output);
        StringAssert.Contains(SampleApp.One(inCi.Output, "SM3001").Message, "writes nothing in CI");
        Assert.DoesNotContain("SafeMigrations wrote", inCi.Output);
        Assert.AreEqual(migrationFiles, Directory.GetFiles(app.MigrationsDirectory).Length, "no migration written in CI");
        Assert.AreEqual(lockText, File.ReadAllText(app.LockFile));

        // … and on a developer's machine the pending change becomes its safe migrations and the build goes on with them.
        var generated = await app.BuildAsync("-p:SafeMigrationsGenerateOnBuild=true");
        Assert.AreEqual(0, generated.ExitCode, generated.Output);
        StringAssert.Contains(generated.Output, "SafeMigrations wrote ", generated.Output);
        var stockMigration = app.Migration("AddProductStock");
        Assert.IsTrue(generated.Output.Contains(Path.GetFileName(stockMigration), StringComparison.Ordinal), generated.Output);
        StringAssert.Contains(File.ReadAllText(stockMigration), "name: \"Stock\"");
        StringAssert.Contains(File.ReadAllText(app.LockFile), Path.GetFileNameWithoutExtension(stockMigration), "the nested build checked and recorded it");
        var applied = await app.EfAsync("database", "update");
        Assert.AreEqual(0, applied.ExitCode, applied.Output);
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
