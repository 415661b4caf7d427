using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;

namespace SafeMigrations.Cli.Tests;

/// <summary>The exit code every safemig command and the host return: the worst outcome of any context.</summary>
[TestClass]
public sealed class HostExitCodesTests
{
    [TestMethod]
    public void Unusable_input_beats_a_failed_migration_which_beats_clean_whatever_the_context_order()
    {
        var failed = Finding("SM4001", Severity.Error, "OrdersContext", "20260101_AddIndex");
        var unusable = Finding("SM3004", Severity.Error, "AuditContext", migration: null);
        var throwingMigration = Finding("SM3004", Severity.Error, "AuditContext", "20260101_Broken");
        var warning = Finding("SM1002", Severity.Warning, "AuditContext", "20260101_DropIndex");

        Assert.AreEqual(0, HostExitCodes.Of(Output()));
        Assert.AreEqual(0, HostExitCodes.Of(Output(warning)));
        Assert.AreEqual(1, HostExitCodes.Of(Output(failed, warning)));
        Assert.AreEqual(1, HostExitCodes.Of(Output(warning, failed)), "a later context's success does not hide an earlier failure");
        Assert.AreEqual(1, HostExitCodes.Of(Output(throwingMigration)), "a migration that throws failed: it is not unusable input");
        Assert.AreEqual(2, HostExitCodes.Of(Output(failed, unusable)));
        Assert.AreEqual(2, HostExitCodes.Of(Output(unusable, failed)));
        Assert.AreEqual(0, HostExitCodes.Of(Output(failed), errorsAsWarnings: true));
        Assert.AreEqual(2, HostExitCodes.Of(Output(unusable), errorsAsWarnings: true), "--warn-only never hides unusable input");
    }

    [TestMethod]
    public void Migrations_add_exits_on_what_it_wrote_and_the_model_not_on_errors_in_older_migrations()
    {
        var added = new HostOutput("add", "10.0.4", [new ContextOutput("ShopContext", "Shop.ShopContext", null, true, [], [], null, "NotChecked",
            ["/app/Migrations/20300102000000_AddBarcode.cs", "/app/Migrations/20300102000000_AddBarcode.Designer.cs", "/app/Migrations/ShopContextModelSnapshot.cs"], [], null)], []);
        var older = Finding("SM1008", Severity.Error, "ShopContext", "20300101000000_ShortenName");
        var own = Finding("SM1001", Severity.Error, "ShopContext", "20300102000000_AddBarcode");
        var pending = Finding("SM3001", Severity.Error, "ShopContext", migration: null);

        CollectionAssert.AreEqual(new[] { older }, GateCommandGroup.InOlderMigrations(added, Output(older, own, pending)).ToArray());
        Assert.IsEmpty(GateCommandGroup.InOlderMigrations(added, Output(own, pending)), "its own migration's errors and the model's still fail it");
        Assert.IsEmpty(GateCommandGroup.InOlderMigrations(added with { Contexts = [] }, Output(older)), "an add that wrote nothing sets nothing aside");
    }

    private static HostOutput Output(params FindingOutput[] findings) => new("apply", "10.0.4", [], findings);

    private static FindingOutput Finding(string ruleId, Severity severity, string context, string? migration) =>
        new(ruleId, severity, ruleId + " message", null, null, null, migration, context, null);
}
