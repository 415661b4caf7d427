using SafeMigrations.Testing;

namespace SafeMigrations.Gate.Tests;

/// <summary>
/// The ModelSnapshot after a template's migration: the template's Designer gives EF the previous migration's
/// model, so the real `dotnet ef migrations remove` of a later migration keeps the snapshot whole; a Designer
/// that records no model (as templates wrote them before) makes remove write an empty snapshot, and the gate
/// then fails the build with the fix (SM3006) and generation writes nothing from it. Templates write where -o
/// says, and a backfill's table, key and columns are checked against the model at build time (SM3007).
/// </summary>
[TestClass]
public sealed class GateSnapshotTests
{
    [TestMethod]
    public async Task Migrations_remove_after_a_template_keeps_the_snapshot_and_a_wiped_one_fails_the_build_with_the_fix()
    {
        await GatePackages.EnsureAsync();
        using var hive = new TemplateHive("ShopContext");
        await hive.InstallAsync(Path.Combine(GatePackages.Feed, $"SafeMigrations.Templates.{GatePackages.Version}.nupkg"));
        using var app = SampleApp.Create(EfVersions.Ef10);
        app.Database = await SharedPostgres.CreateDatabaseAsync("gate-snapshot");
        Assert.AreEqual(0, (await app.SafemigAsync("migrations", "add", "Initial")).ExitCode);
        var snapshotFile = Path.Combine(app.MigrationsDirectory, "ShopContextModelSnapshot.cs");
        var snapshot = File.ReadAllText(snapshotFile);

        // A template's migration, then a model change scaffolded by dotnet ef and removed again: the snapshot keeps its tables.
        // -o names the migrations folder: the files go straight into it, not into a Migrations folder inside it.
        await hive.NewAsync(app, "safemig-index", "AddProductNameIndex", "-o", app.MigrationsDirectory, "--table", "products", "--column", "Name", "--index-name", "ix_products_name");
        Assert.HasCount(2, Directory.GetFiles(app.MigrationsDirectory, "*_AddProductNameIndex*.cs"));
        Assert.IsFalse(Directory.Exists(Path.Combine(app.MigrationsDirectory, "Migrations")));
        app.Edit("Product.cs", "public string? Notes { get; set; }", "public string? Notes { get; set; }\n\n    public string? Sku { get; set; }");
        Assert.AreEqual(0, (await app.EfAsync("migrations", "add", "AddSku")).ExitCode);
        var removed = await app.EfAsync("migrations", "remove");
        Assert.AreEqual(0, removed.ExitCode, removed.Output);
        StringAssert.Contains(File.ReadAllText(snapshotFile), "b.ToTable(\"products\"", "the snapshot keeps the tables");
        StringAssert.Contains(File.ReadAllText(snapshotFile), "b.ToTable(\"suppliers\"");
        var kept = await app.BuildAsync();
        Assert.IsFalse(SampleApp.Findings(kept.Output).Any(f => f.Id == "SM3006"), kept.Output);
        StringAssert.Contains(SampleApp.One(kept.Output, "SM3001").Message, "ADD COLUMN \"Sku\"", "only the model change is pending");

        // A Designer that records no model: remove writes an empty snapshot, and the build says how to restore it.
        var designer = Directory.GetFiles(app.MigrationsDirectory, "*_AddProductNameIndex.Designer.cs").Single();
        var templateDesigner = File.ReadAllText(designer);
        File.WriteAllText(designer, string.Join('\n', File.ReadAllLines(designer).Where(line => !line.Contains("argetModel", StringComparison.Ordinal))));
        Assert.AreEqual(0, (await app.EfAsync("migrations", "add", "AddSku")).ExitCode);
        Assert.AreEqual(0, (await app.EfAsync("migrations", "remove")).ExitCode);
        Assert.DoesNotContain("b.ToTable(\"products\"", File.ReadAllText(snapshotFile), "EF wrote the snapshot from an empty model");

        var wiped = await app.BuildAsync();
        Assert.AreNotEqual(0, wiped.ExitCode, wiped.Output);
        var sm3006 = SampleApp.One(wiped.Output, "SM3006");
        Assert.AreEqual(snapshotFile, sm3006.File);
        StringAssert.Contains(sm3006.Message, "\"products\"");
        StringAssert.Contains(sm3006.Message, $"git checkout -- \"{snapshotFile}\"");
        Assert.IsFalse(SampleApp.Findings(wiped.Output).Any(f => f.Id == "SM3001"), "no pending 'create table' for what the snapshot lost");

        var files = Directory.GetFiles(app.MigrationsDirectory).Length;
        var generating = await app.BuildAsync("-p:SafeMigrationsGenerateOnBuild=true");
        Assert.AreNotEqual(0, generating.ExitCode, generating.Output);
        SampleApp.One(generating.Output, "SM3006");
        Assert.AreEqual(files, Directory.GetFiles(app.MigrationsDirectory).Length, "nothing generated from a wiped snapshot");

        // The fix the message gives (the snapshot as committed) makes the build whole again.
        File.WriteAllText(snapshotFile, snapshot);
        File.WriteAllText(designer, templateDesigner);
        var restored = await app.BuildAsync();
        Assert.IsFalse(SampleApp.Findings(restored.Output).Any(f => f.Id == "SM3006"), restored.Output);
        SampleApp.One(restored.Output, "SM3001");

        // A backfill's table, key and columns are checked against the model (EF named them "Id" and "Notes"): a guessed
        // --key id and an unquoted Notes (PostgreSQL reads notes) fail the build, not the deploy.
        app.Edit("Shop.csproj", "<PackageReference Include=\"SafeMigrations.Abstractions\"", $"<PackageReference Include=\"SafeMigrations.Runtime\" Version=\"{GatePackages.Version}\" />\n    <PackageReference Include=\"SafeMigrations.Abstractions\"");
        await hive.NewAsync(app, "safemig-backfill", "FillNotes", "--table", "products", "--key", "id", "--set", "Notes = 'none'", "--where", "\"Notes\" IS NULL");
        var guessed = await app.BuildAsync();
        Assert.AreNotEqual(0, guessed.ExitCode, guessed.Output);
        Assert.AreEqual("error", SampleApp.Findings(guessed.Output).First(f => f.Id == "SM3007").Severity);
        StringAssert.Contains(guessed.Output, "walks key column \"id\", which the table does not have (it has \"Id\": quote it as written)");
        StringAssert.Contains(guessed.Output, "sets column \"notes\", which the table does not have (it has \"Notes\"");
        foreach (var file in Directory.GetFiles(app.MigrationsDirectory, "*_FillNotes*.cs"))
        {
            File.Delete(file);
        }

        // The default key is the primary key, and a quoted column is the column.
        await hive.NewAsync(app, "safemig-backfill", "FillNotes", "--table", "products", "--set", "\"Notes\" = 'none'", "--where", "\"Notes\" IS NULL");
        StringAssert.Contains(File.ReadAllText(Directory.GetFiles(app.MigrationsDirectory, "*_FillNotes.cs").Single()), "keyColumn: null");
        var named = await app.BuildAsync();
        Assert.IsFalse(SampleApp.Findings(named.Output).Any(f => f.Id == "SM3007"), named.Output);
    }
}
