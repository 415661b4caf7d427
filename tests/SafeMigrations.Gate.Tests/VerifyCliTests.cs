using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Npgsql;
using SafeMigrations.Testing;

namespace SafeMigrations.Gate.Tests;

/// <summary>
/// safemig verify as a developer runs it: the installed tool on a real EF Core 10 app, a shadow database it seeds,
/// each statement observed on PostgreSQL; the HTML report opened in a real headless Chromium (Debian's, driven by
/// Playwright) that draws the lock timeline.
/// </summary>
[TestClass]
public sealed class VerifyCliTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Verify_observes_a_rewrite_a_concurrent_build_and_a_leaky_Down_and_reports_them_in_a_page_with_a_lock_timeline()
    {
        await GatePackages.EnsureAsync();
        using var app = SampleApp.Create(EfVersions.Ef10);
        Assert.AreEqual(0, (await app.SafemigAsync("migrations", "add", "Initial")).ExitCode);
        // A volatile default (a rewrite under ACCESS EXCLUSIVE), suppressed as a team might; an index built concurrently whose Down forgets it.
        app.Write("Migrations/20300101000000_StampProducts.cs", HandWritten("StampProducts", "20300101000000",
            "[SafeMigrations.SuppressMigrationRule(\"SM1005\", Justification = \"The table is small.\")]",
            "migrationBuilder.AddColumn<Guid>(name: \"Stamp\", table: \"products\", nullable: false, defaultValueSql: \"gen_random_uuid()\");",
            "migrationBuilder.DropColumn(name: \"Stamp\", table: \"products\");"));
        app.Write("Migrations/20300101000100_IndexProductNames.cs", HandWritten("IndexProductNames", "20300101000100", string.Empty,
            "migrationBuilder.Sql(\"CREATE INDEX CONCURRENTLY IF NOT EXISTS \\\"IX_products_Name\\\" ON products (\\\"Name\\\");\", suppressTransaction: true);",
            string.Empty));
        var shadow = await SharedPostgres.CreateDatabaseAsync("gate-verify");
        var report = Path.Combine(app.Directory, "verify.html");

        // The production-like database the findings scale to: only its statistics are read.
        var live = await SharedPostgres.CreateDatabaseAsync("gate-verify-live");
        await using (var production = NpgsqlDataSource.Create(live))
        {
            await Database.ExecuteAsync(production, "CREATE TABLE products (\"Id\" integer, \"Name\" text); INSERT INTO products SELECT g, 'p' || g FROM generate_series(1, 200000) g; ANALYZE products;");
        }

        var verified = await app.SafemigAsync("verify", "--connection", shadow, "--since", "Initial", "--rows", "20000", "--from", live, "--report", report, "--format", "json");
        Assert.AreEqual(1, verified.ExitCode, verified.Output);
        var output = await OutputSchemas.ValidTextAsync(app.Directory, "verify.json", Database.Json(verified.Output));
        var verify = output["runs"]![0]!["verify"]!;
        Assert.AreEqual(20000L, (long)verify["seeded"]!["products"]!);
        var statements = verify["statements"]!.AsArray();
        var stamp = statements.Single(s => ((string)s!["sql"]!).Contains("\"Stamp\"", StringComparison.Ordinal) && ((string)s!["sql"]!).Contains("ADD", StringComparison.Ordinal))!;
        Assert.AreEqual("ACCESS EXCLUSIVE", (string?)stamp["observed"]![0]!["lock"]);
        Assert.AreEqual("ACCESS EXCLUSIVE", (string?)stamp["claimed"]![0]!["lock"]);
        CollectionAssert.Contains(stamp["rewritten"]!.AsArray().Select(r => (string?)r).ToList(), "products");
        StringAssert.StartsWith((string?)stamp["impact"], "rewrites products (200 k rows, ");
        Assert.IsGreaterThan((double)stamp["heldUntilMs"]! - (double)stamp["startMs"]!, (double)stamp["estimatedHeldMs"]!, "scaled by the live table's rows over the seeded ones");
        // The application probe: reads and writes of products while it ran; no request is said to wait longer than the lock it met.
        var probes = verify["probes"]!.AsArray();
        CollectionAssert.IsSubsetOf(new[] { "read", "write" }, probes.Where(p => (string?)p!["table"] == "products").Select(p => (string?)p!["kind"]).Distinct().ToList());
        var stampHeld = (double)stamp["heldUntilMs"]! - (double)stamp["startMs"]!;
        TestContext.WriteLine($"stamp held {stampHeld:0} ms; a read waited {(double?)stamp["readsWaitedMs"]:0.#} ms, a write {(double?)stamp["writesWaitedMs"]:0.#} ms");
        Assert.IsTrue((bool)stamp["readsBlocked"]! && (bool)stamp["writesBlocked"]!, "ACCESS EXCLUSIVE blocks the probe's reads and writes of products");
        var longestProbe = probes.Where(p => (string?)p!["migrationId"] == (string?)stamp["migrationId"]).Max(p => (double)p!["ms"]!);
        Assert.IsLessThan(stampHeld + 250, longestProbe, "a request waits for a lock, never (beyond the machine's noise) longer than the longest one held");
        var index = statements.Single(s => ((string)s!["sql"]!).Contains("CONCURRENTLY", StringComparison.Ordinal))!;
        Assert.IsFalse((bool)index["inTransaction"]!);
        Assert.AreEqual("SHARE UPDATE EXCLUSIVE", (string?)index["observed"]![0]!["lock"], "polled from a second session while the build ran");
        Assert.IsEmpty(index["rewritten"]!.AsArray());
        Assert.IsFalse((bool)index["readsBlocked"]! || (bool)index["writesBlocked"]!, "SHARE UPDATE EXCLUSIVE lets them through");

        var findings = output["findings"]!.AsArray();
        var rewrite = findings.Single(f => (string?)f!["ruleId"] == "SM4005")!;
        StringAssert.Contains((string)rewrite["message"]!, "rewrote products");
        StringAssert.Contains((string)rewrite["message"]!, "On the live database it rewrites products (200 k rows");
        var leaky = findings.Single(f => (string?)f!["ruleId"] == "SM4006")!;
        StringAssert.Contains((string)leaky["message"]!, "left by Down: IndexProductNames: index CREATE INDEX \"IX_products_Name\"");
        StringAssert.EndsWith((string?)leaky["migrationId"], "_IndexProductNames");
        Assert.DoesNotContain("safemigrations_backup", (string)leaky["message"]!, "the runner's backup of the dropped column is not the app's schema");

        // Every migration (--since 0): each runs on the state just before it, with rows even in the tables the range creates.
        var all = await app.SafemigAsync("verify", "--no-build", "--connection", await SharedPostgres.CreateDatabaseAsync("gate-verify-all"), "--since", "0", "--rows", "2000", "--report", report + ".all", "--format", "json");
        Assert.AreEqual(1, all.ExitCode, all.Output);
        var everything = JsonNode.Parse(Database.Json(all.Output))!;
        var stampAgain = everything["runs"]![0]!["verify"]!["statements"]!.AsArray().Single(s => ((string)s!["sql"]!).Contains("ADD \"Stamp\"", StringComparison.Ordinal))!;
        Assert.AreEqual("ACCESS EXCLUSIVE", (string?)stampAgain["observed"]![0]!["lock"]);
        CollectionAssert.Contains(stampAgain["rewritten"]!.AsArray().Select(r => (string?)r).ToList(), "products");
        CollectionAssert.IsSubsetOf(new[] { "SM4005", "SM4006" }, everything["findings"]!.AsArray().Select(f => (string?)f!["ruleId"]).ToList());

        // A production-like database (Initial applied, rows, an index made by hand): plan says how big the locked table
        // is; verify starts its shadow from that database's schema and history and a sample of its rows, and only reads it.
        var productionLike = await SharedPostgres.CreateDatabaseAsync("gate-verify-production");
        var applied = await app.SafemigAsync("apply", "--no-build", "--connection", productionLike, "--to", "Initial");
        Assert.AreEqual(0, applied.ExitCode, applied.Output);
        await using (var database = NpgsqlDataSource.Create(productionLike))
        {
            await Database.ExecuteAsync(database, "INSERT INTO products (\"Name\") SELECT 'p' || g FROM generate_series(1, 3000) g; CREATE INDEX made_by_hand ON products (\"Notes\"); ANALYZE products;");
        }

        var plan = await app.SafemigAsync("plan", "--no-build", "--connection", productionLike);
        StringAssert.Contains(plan.Output, "(3000 rows, ", "the size of the table the ACCESS EXCLUSIVE lock is taken on");
        var copiedShadow = await SharedPostgres.CreateDatabaseAsync("gate-verify-copied");
        var copied = await app.SafemigAsync("verify", "--no-build", "--connection", copiedShadow, "--from", productionLike, "--copy-schema", "--sample", "--rows", "1000", "--report", report + ".copied", "--format", "json");
        Assert.AreEqual(1, copied.ExitCode, copied.Output);
        var fromProduction = JsonNode.Parse(Database.Json(copied.Output))!["runs"]![0]!["verify"]!;
        StringAssert.EndsWith((string?)fromProduction["base"], "_Initial");
        Assert.AreEqual(2, fromProduction["migrations"]!.AsArray().Count);
        Assert.AreEqual(1000L, (long)fromProduction["seeded"]!["products"]!);
        StringAssert.Contains((string?)fromProduction["seedNotes"]![0], "Rows copied from --from");
        await using (var database = NpgsqlDataSource.Create(copiedShadow))
        {
            Assert.AreEqual(1L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM pg_indexes WHERE indexname = 'made_by_hand'"), "the schema the database has, not the one the migrations make");
        }

        await using (var database = NpgsqlDataSource.Create(productionLike))
        {
            Assert.AreEqual(3000L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM products"));
            Assert.AreEqual(1L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM \"__EFMigrationsHistory\""), "--from is only read");
        }

        // verify never migrates a database that has applied migrations: it would roll them back.
        var used = await app.SafemigAsync("verify", "--no-build", "--connection", shadow, "--report", report + ".2");
        Assert.AreEqual(2, used.ExitCode, used.Output);
        StringAssert.Contains(used.Output, "give it an empty database");
        Assert.IsFalse(File.Exists(report + ".2"));
        await using (var database = NpgsqlDataSource.Create(shadow))
        {
            Assert.AreEqual(3L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM \"__EFMigrationsHistory\""), "the refused run changed nothing");
        }

        // The page, in a real browser: it renders, the timeline has a bar per observed lock, coloured by what it blocks.
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Browser.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(report).AbsoluteUri);
        Assert.AreEqual("dotnet safemig verify", await page.TitleAsync());
        var bars = page.Locator("svg.timeline rect.bar");
        Assert.AreEqual(statements.Sum(s => s!["observed"]!.AsArray().Count), await bars.CountAsync());
        Assert.AreEqual("#cf222e", await page.Locator("svg.timeline rect.bar[data-lock='ACCESS EXCLUSIVE']").First.GetAttributeAsync("fill"));
        Assert.AreEqual(1, await page.Locator("svg.timeline rect.bar[data-lock='SHARE UPDATE EXCLUSIVE']").CountAsync());
        StringAssert.Contains(await page.Locator("#round-trip").InnerTextAsync(), "left by Down");
        Assert.AreEqual(probes.Count, await page.Locator("svg.application g.probe").CountAsync(), "a marker per request the report kept");
        var screenshot = Path.Combine(TestContext.TestRunResultsDirectory ?? Path.GetTempPath(), "verify-report.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.IsGreaterThan(10_000L, new FileInfo(screenshot).Length);
        TestContext.WriteLine("report screenshot: " + screenshot);
    }

    private static string HandWritten(string name, string timestamp, string attributes, string up, string down) => $$"""
        using System;
        using Microsoft.EntityFrameworkCore.Infrastructure;
        using Microsoft.EntityFrameworkCore.Migrations;

        namespace Shop.Migrations;

        [DbContext(typeof(ShopContext))]
        [Migration("{{timestamp}}_{{name}}")]
        {{attributes}}
        public class {{name}} : Migration
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
