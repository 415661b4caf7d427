namespace SafeMigrations.Gate.Tests;

/// <summary>
/// The design host runs on the app's own EF Core: apps on EF Core 8 and 9 (with their Npgsql) get the same
/// gate as EF Core 10 apps, on this machine's .NET 10 runtime.
/// </summary>
[TestClass]
public sealed class GateEfVersionsTests
{
    [TestMethod]
    [DataRow("8")]
    [DataRow("9")]
    public async Task The_gate_and_safemig_work_on_the_apps_own_EF_Core(string efMajor)
    {
        // EF Core 8 (the oldest supported) and 10 (every other test) bracket 9: it runs on demand, outside the suite's budget.
        if (efMajor == "9" && Environment.GetEnvironmentVariable(InitTests.AllEfVersionsVariable) != "1")
        {
            Assert.Inconclusive($"EF Core 9: on demand ({InitTests.AllEfVersionsVariable}=1).");
        }

        await GatePackages.EnsureAsync();
        var versions = EfVersions.Parse(efMajor);
        using var app = SampleApp.Create(versions);

        var initial = await app.SafemigAsync("migrations", "add", "Initial");
        Assert.AreEqual(0, initial.ExitCode, initial.Output);
        StringAssert.Contains(initial.Output, $"EF Core {versions.Ef}");

        // Fluent-only change: SM3001 judged with the app's EF differ.
        app.Edit("ProductConfiguration.cs", "builder.Property(p => p.Name).HasMaxLength(200);", "builder.Property(p => p.Name).HasMaxLength(200);\n        builder.HasIndex(p => p.Name);");
        var pending = await app.BuildAsync();
        Assert.AreNotEqual(0, pending.ExitCode, pending.Output);
        StringAssert.Contains(SampleApp.One(pending.Output, "SM3001").Message, "(SM1001 error)");

        // Generated in its safe form by this EF version's scaffolder; the build passes and records it.
        var add = await app.SafemigAsync("migrations", "add");
        Assert.AreEqual(0, add.ExitCode, add.Output);
        // Re-runnable under a plain dotnet ef database update: an INVALID index a failed build left is dropped first.
        StringAssert.Contains(File.ReadAllText(app.Migration("AddProductNameIndex")), "CREATE INDEX CONCURRENTLY IF NOT EXISTS \\\"IX_products_Name\\\" ON \\\"products\\\" (\\\"Name\\\");\", suppressTransaction: true)");
        StringAssert.Contains(File.ReadAllText(app.Migration("AddProductNameIndex")), "AND NOT i.indisvalid");
        var build = await app.BuildAsync();
        Assert.AreEqual(0, build.ExitCode, build.Output);
        StringAssert.Contains(File.ReadAllText(app.LockFile), "_AddProductNameIndex h1:");

        // An unsafe migration written by hand is reported at its line.
        app.Write("Migrations/20300101000000_AddSupplierIndex.cs", """
            using Microsoft.EntityFrameworkCore.Infrastructure;
            using Microsoft.EntityFrameworkCore.Migrations;

            namespace Shop.Migrations;

            [DbContext(typeof(ShopContext))]
            [Migration("20300101000000_AddSupplierIndex")]
            public class AddSupplierIndex : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.CreateIndex(name: "IX_suppliers_Name", table: "suppliers", column: "Name");
                }
            }
            """);
        var unsafeBuild = await app.BuildAsync();
        Assert.AreNotEqual(0, unsafeBuild.ExitCode, unsafeBuild.Output);
        var sm1001 = SampleApp.One(unsafeBuild.Output, "SM1001");
        Assert.AreEqual(Path.Combine(app.MigrationsDirectory, "20300101000000_AddSupplierIndex.cs"), sm1001.File);
        Assert.AreEqual(12, sm1001.Line);

        // The one-screen overview on a throwaway embedded PostgreSQL: findings, status and the plan with its locks;
        // then the runner (SafeMigrations.Runtime, on this app's EF Core and Npgsql) applies, and history and drift follow.
        var overview = await app.SafemigAsync("overview", "--no-build");
        Assert.AreEqual(1, overview.ExitCode, overview.Output);
        foreach (var expected in new[] { "safemig check", "safemig status", "safemig plan", "error SM1001 Migrations/20300101000000_AddSupplierIndex.cs:12", "throwaway embedded PostgreSQL", "_AddProductNameIndex", "CREATE INDEX CONCURRENTLY", "SHARE UPDATE EXCLUSIVE", "outside", "safemig apply", "safemig history", "safemig drift", "after dotnet safemig apply", "live schema" })
        {
            StringAssert.Contains(overview.Output, expected);
        }
    }
}
