using Microsoft.CodeAnalysis;
using Npgsql;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.RuleExamples.Tests;

/// <summary>
/// Every rule page's advice, executed: the violating example is reported by the analyzers and does on a
/// populated PostgreSQL what the page's "Observed on PostgreSQL" row says; the safe recipe's steps are
/// not reported, run without failing, without rewriting or scanning a table under a lock that blocks
/// writes, without breaking the previous release, and reach the state the page's expect query checks.
/// </summary>
[TestClass]
public sealed class RuleExampleTests
{
    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> Pages => RulePage.Executable().Select(id => new object[] { id });

    [TestMethod]
    public void Every_migration_rule_page_has_an_executed_violating_example_and_recipe()
    {
        var executable = RulePage.Executable().ToHashSet(StringComparer.Ordinal);
        var missing = RuleCatalog.MigrationDescriptors.Select(r => r.Id).Where(id => !executable.Contains(id) && !IsAboutTheToolOrDesign(id)).ToList();
        Assert.IsEmpty(missing, "pages without a ```csharp violating example or ```csharp recipe: " + string.Join(", ", missing));
    }

    [TestMethod]
    public void Every_backfill_a_page_recommends_walks_the_key_instead_of_rereading_the_rows_it_has_done()
    {
        // A loop of "WHERE id IN (SELECT … WHERE <still to do> LIMIT n)" or "WHERE NOT EXISTS (…copied…)" scans past
        // every row already done on each batch: quadratic, and on 2 M rows it outlived the runner's statement timeout.
        var rereading = new System.Text.RegularExpressions.Regex(@"IN\s*\(\s*SELECT[^)]*LIMIT|NOT\s+EXISTS", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        var offenders = RulePage.Executable().Select(RulePage.Load)
            .SelectMany(page => page.Recipe.Where(step => step.IsBackfill && rereading.IsMatch(step.Code)).Select(_ => page.Id))
            .Distinct().ToList();
        Assert.IsEmpty(offenders, "backfills that re-read their done rows (use migrationBuilder.Backfill): " + string.Join(", ", offenders));
    }

    [TestMethod]
    public void The_rules_readme_shows_the_fixture_the_examples_run_on()
    {
        static string Normalize(string sql) => string.Join("\n", sql.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
        var readme = File.ReadAllText(Path.Combine(RulePage.Directory, "README.md")).ReplaceLineEndings("\n");
        StringAssert.Contains(Normalize(readme), Normalize(FixtureDatabase.Schema));
    }

    [TestMethod]
    [DynamicData(nameof(Pages))]
    public async Task The_violating_example_is_reported_and_does_what_the_page_says(string id)
    {
        var page = RulePage.Load(id);
        if (page.Violating is null)
        {
            return;
        }

        var rule = RuleCatalog.Find(id)!;
        var migrations = await ExampleMigrations.CompileAsync([page.Violating], page.TargetModel);
        var reported = migrations.DiagnosticsOf(0).Where(d => d.Id == id).ToList();
        Assert.IsNotEmpty(reported, $"{id}'s violating example is not reported: {string.Join(" | ", migrations.Diagnostics)}");
        Assert.IsTrue(reported.Any(d => Severity(d) == rule.DefaultSeverity), $"{id} is reported as {string.Join(", ", reported.Select(d => d.Severity))}, the page says {rule.DefaultSeverity}");

        Assert.IsNotNull(page.Claims, $"{id}.md has no '| Observed on PostgreSQL | … |' row");
        if (page.Claims.IsEmpty)
        {
            return;
        }

        var database = await FixtureDatabase.CreateAsync();
        try
        {
            await SetUpAsync(database, page);
            var observed = await ObservedMigration.RunAsync(database, migrations.Create(0), page.PreviousRelease);
            TestContext.WriteLine(observed.ToString());
            AssertClaims(id, page.Claims, observed);
        }
        finally
        {
            await FixtureDatabase.DropAsync(database);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Pages))]
    public async Task The_safe_recipe_is_not_reported_and_runs_without_harm(string id)
    {
        var page = RulePage.Load(id);
        if (page.Recipe.Count == 0)
        {
            return;
        }

        var migrations = await ExampleMigrations.CompileAsync(page.Recipe.Select(s => s.Code).ToList(), page.TargetModel);
        var database = await FixtureDatabase.CreateAsync();
        try
        {
            await SetUpAsync(database, page);

            // What the release running while a step is applied knows: the schema before the recipe, until a
            // step that ships after a release that changed the application.
            var known = await TablesAsync(database);
            for (var i = 0; i < page.Recipe.Count; i++)
            {
                var step = page.Recipe[i];
                var findings = migrations.DiagnosticsOf(i);
                Assert.IsFalse(findings.Any(d => d.Id == id || d.Severity == DiagnosticSeverity.Error), $"{id} recipe step {i + 1} is reported: {string.Join(" | ", findings)}");

                var observed = await ObservedMigration.RunAsync(database, migrations.Create(i), page.PreviousRelease, known);
                TestContext.WriteLine($"step {i + 1}: {observed}");
                var where = $"{id} recipe step {i + 1}";
                Assert.IsFalse(observed.Failed, $"{where} fails: {observed}");
                Assert.IsFalse(observed.Rewritten, $"{where} rewrites a table: {observed}");
                Assert.IsFalse(observed.ScannedWhileBlockingWrites, $"{where} scans a table while it blocks writes: {observed}");
                if (step.IsBackfill)
                {
                    Assert.IsLessThanOrEqualTo(ObservedMigration.Strength("ROW EXCLUSIVE"), ObservedMigration.Strength(observed.StrongestLock), $"{where} is a backfill but locks more than rows: {observed}");
                }
                else
                {
                    Assert.IsFalse(observed.ChangedRows, $"{where} changes existing rows: {observed}");
                }

                if (step.AfterRelease)
                {
                    known = await TablesAsync(database);
                }
                else
                {
                    Assert.IsNull(observed.PreviousReleaseBreak, $"{where} breaks the previous release: {observed}");
                    Assert.IsFalse(observed.DeletedData, $"{where} deletes data: {observed}");
                }
            }

            if (page.Expect is { } expect)
            {
                await using var connection = new NpgsqlConnection(database);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(expect, connection);
                Assert.IsTrue(await command.ExecuteScalarAsync() is true, $"{id}: after the recipe, the page's expect query is not true: {expect}");
            }
        }
        finally
        {
            await FixtureDatabase.DropAsync(database);
        }
    }

    private static void AssertClaims(string id, Claims claims, Observation observed)
    {
        var context = $"{id}: the page says '{claims}', observed: {observed}";
        Assert.AreEqual(claims.Fails, observed.Failed, "failure: " + context);
        Assert.AreEqual(claims.HalfApplied, observed.HalfApplied, "half applied: " + context);
        if (observed.Failed)
        {
            return; // rolled back before its locks and reads could be seen; the page says it fails
        }

        if (claims.Lock is not null)
        {
            Assert.AreEqual(claims.Lock, observed.StrongestLock, context);
        }

        if (claims.Brief)
        {
            Assert.IsFalse(observed.Scanned || observed.Rewritten, context);
        }

        // A rewrite reads every row too; otherwise a scan is claimed exactly when one happens.
        if (claims.Scans)
        {
            Assert.IsTrue(observed.Scanned, "scan: " + context);
        }
        else if (!claims.Rewrites)
        {
            Assert.IsFalse(observed.Scanned, "scan: " + context);
        }

        Assert.AreEqual(claims.Rewrites, observed.Rewritten, "rewrite: " + context);
        Assert.AreEqual(claims.ChangesRows, observed.ChangedRows, "changed rows: " + context);
        Assert.AreEqual(claims.DeletesData, observed.DeletedData, "deleted data: " + context);
        Assert.AreEqual(claims.BreaksPreviousRelease, observed.PreviousReleaseBreak is not null, "previous release: " + context);
    }

    private static async Task<Dictionary<string, TableState>> TablesAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        return await TableState.ReadAllAsync(connection);
    }

    private static async Task SetUpAsync(string database, RulePage page)
    {
        if (page.Setup.Count == 0)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        foreach (var sql in page.Setup)
        {
            await ObservedMigration.ExecuteAsync(connection, null, sql);
        }
    }

    private static Severity Severity(Diagnostic diagnostic) => diagnostic.Severity switch
    {
        DiagnosticSeverity.Error => Core.Rules.Severity.Error,
        DiagnosticSeverity.Warning => Core.Rules.Severity.Warning,
        DiagnosticSeverity.Info => Core.Rules.Severity.Info,
        _ => Core.Rules.Severity.None,
    };

    /// <summary>Rules about Down, about SafeMigrations itself, or about design choices: nothing for PostgreSQL to do differently.</summary>
    private static bool IsAboutTheToolOrDesign(string id) => id is RuleIds.MissingDown;
}
