using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;
using Spectre.Console.Testing;

namespace SafeMigrations.Cli.Tests;

/// <summary>What safemig apply, rollback and history print for the runner's answers.</summary>
[TestClass]
public sealed class RunReportTests
{
    [TestMethod]
    public void With_several_contexts_each_gets_a_summary_line_and_a_failure_names_its_rule_and_migration()
    {
        var orders = Run("OrdersContext", steps: [Step("20260101_AddOrders"), Step("20260102_AddOrderIndex")]);
        var audit = Run("AuditContext", steps: [Step("20260103_AddAudit")], error: new RunErrorOutput("SM4008", "The migration failed: column \"x\" does not exist.", "20260104_Broken", null, RolledBack: true));
        var billing = Run("BillingContext") with { Skipped = "an earlier context failed" };

        var text = Write(Output(orders, audit, billing));

        StringAssert.Contains(text, "OrdersContext: 2 applied");
        StringAssert.Contains(text, "AuditContext: failed (SM4008 at 20260104_Broken) after 1 applied");
        StringAssert.Contains(text, "BillingContext: not run (an earlier context failed)");
        StringAssert.Contains(text, "error SM4008: AuditContext: The migration failed");
    }

    [TestMethod]
    public void An_error_no_run_carries_is_still_said_once()
    {
        var failure = new RunErrorOutput("SM4008", "The migration failed.", "20260104_Broken", null, RolledBack: true);
        var unusable = new FindingOutput("SM3004", Severity.Error, "No context has a migration named 'Nope'.", null, null, null, null, null, null);
        var carried = new FindingOutput("SM4008", Severity.Error, failure.Message, null, null, null, failure.MigrationId, "OrdersContext", null);

        var text = Write(Output([carried, unusable], Run("OrdersContext", error: failure)));

        StringAssert.Contains(text, "error SM3004: No context has a migration named 'Nope'.");
        Assert.AreEqual(1, Occurrences(text, "The migration failed."), text);
    }

    [TestMethod]
    public void A_long_failing_statement_shows_its_head_and_how_many_lines_are_left()
    {
        var statement = string.Join("\n", Enumerable.Range(1, 30).Select(i => $"-- line {i}"));
        var failure = new RunErrorOutput("SM4001", "Lock timeout.", "20260104_Backfill", statement, RolledBack: true);

        var text = Write(Output(Run("OrdersContext", error: failure)));

        StringAssert.Contains(text, "-- line 6");
        Assert.IsFalse(text.Contains("-- line 7", StringComparison.Ordinal), text);
        StringAssert.Contains(text, "(24 more lines)");
    }

    [TestMethod]
    public void A_dry_run_shows_the_sql_and_an_empty_apply_says_the_database_is_up_to_date()
    {
        var dryRun = Run(null, steps: [Step("20260101_AddOrders") with { Sql = ["CREATE TABLE \"Orders\" (\"Id\" integer);"] }]);

        StringAssert.Contains(Write(Output(dryRun)), "CREATE TABLE \"Orders\"");
        StringAssert.Contains(Write(Output(Run(null))), "Nothing to apply: the database is up to date.");
    }

    private static string Write(HostOutput output)
    {
        var console = new TestConsole().Width(400);
        new RunReport(console).Write(output);
        return console.Output;
    }

    private static int Occurrences(string text, string value) => (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;

    private static HostOutput Output(params RunOutput[] runs) => Output([], runs);

    private static HostOutput Output(FindingOutput[] findings, params RunOutput[] runs) => new HostOutput("apply", "10.0.4", [], findings) { Runs = runs };

    private static RunOutput Run(string? context, RunStepOutput[]? steps = null, RunErrorOutput? error = null) =>
        new("apply", context, "run-1", steps ?? [], [], [], error, [], null);

    [TestMethod]
    public void Backups_are_listed_with_what_was_dropped_by_which_step_rows_and_size()
    {
        var run = Run(null) with
        {
            Command = "backups",
            Backups = [new BackupOutput("20260101_DropNotes_products_Notes_1", "20260101_DropNotes", "public", "products", "Notes", "up", DateTimeOffset.UtcNow.AddDays(-2), 3 << 20, 2000)],
        };
        var text = Write(Output(run));

        StringAssert.Contains(text, "public.products.Notes");
        StringAssert.Contains(text, "2 d ago");
        StringAssert.Contains(text, "2,000");
        StringAssert.Contains(text, "3 MB");
        StringAssert.Contains(text, "safemig restore --migration <name>");
    }

    private static RunStepOutput Step(string id) => new(id, "up", "Expand", 12, 1, 0, 0, []);
}
