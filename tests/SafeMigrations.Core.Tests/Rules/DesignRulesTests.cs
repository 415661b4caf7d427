using SafeMigrations.Core.Model;
using static SafeMigrations.Core.Tests.Judge;

namespace SafeMigrations.Core.Tests.Rules;

[TestClass]
public sealed class DesignRulesTests
{
    [TestMethod]
    public void Json_columns_warn_jsonb_does_not()
    {
        Up(new AddColumnChange(Tasks, new ColumnDefinition("meta") { StoreType = "json", IsNullable = true })).Single("SM1019");
        Up(NewTable(new TableName("docs"), new ColumnDefinition("body") { StoreType = "json" })).Single("SM1019");
        Up(new AddColumnChange(Tasks, new ColumnDefinition("meta") { StoreType = "jsonb", IsNullable = true })).AssertNone("SM1019");
    }

    [TestMethod]
    public void Identity_and_serial_columns_on_existing_tables_are_errors()
    {
        Up(new AddColumnChange(Tasks, new ColumnDefinition("seq") { StoreType = "bigint", IsNullable = false, Identity = IdentityKind.ByDefault })).Single("SM1021");
        var serial = UpSql("ALTER TABLE todo_items ADD COLUMN seq bigserial");
        serial.Single("SM1021");
        serial.AssertNone("SM1004");
        Up(NewTable(Tasks), new AddColumnChange(Tasks, new ColumnDefinition("seq") { Identity = IdentityKind.Always })).AssertNone("SM1021");
    }

    [TestMethod]
    public void Enum_values_may_be_added_but_not_removed_or_renamed()
    {
        var status = new TableName("task_status");
        Up(new EnumTypeChange(SchemaObjectAction.Alter, status) { OldValues = ["open", "done"], NewValues = ["open", "done", "archived"] }).AssertNone("SM1022");
        StringAssert.Contains(Up(new EnumTypeChange(SchemaObjectAction.Alter, status) { OldValues = ["open", "done"], NewValues = ["open"] }).Single("SM1022").Message, "'done'");
        UpSql("ALTER TYPE task_status RENAME VALUE 'done' TO 'completed'").Single("SM1022");
        UpSql("ALTER TYPE task_status ADD VALUE IF NOT EXISTS 'archived'").AssertNone("SM1022");
    }

    [TestMethod]
    public void Identifiers_over_63_bytes_are_errors_counted_in_bytes_not_characters()
    {
        var longName = "IX_" + new string('a', 61);
        Up(new CreateIndexChange(longName, Tasks, ["a"]) { Concurrently = true }).Single("SM1023");
        var multiByte = new string('é', 32); // 32 characters, 64 bytes
        Up(new AddColumnChange(Tasks, new ColumnDefinition(multiByte) { IsNullable = true })).Single("SM1023");
        Up(new AddColumnChange(Tasks, new ColumnDefinition(new string('a', 63)) { IsNullable = true })).AssertNone("SM1023");
    }

    [TestMethod]
    public void Type_design_advice_is_information()
    {
        var findings = Up(NewTable(new TableName("events"),
            new ColumnDefinition("id") { StoreType = "integer", IsNullable = false },
            new ColumnDefinition("at") { StoreType = "timestamp without time zone" },
            new ColumnDefinition("code") { StoreType = "character(3)" }) with { PrimaryKeyColumns = ["id"] });
        Assert.HasCount(3, findings.Where(f => f.RuleId == "SM1024"));
        Assert.IsTrue(findings.Where(f => f.RuleId == "SM1024").All(f => f.Severity == Core.Rules.Severity.Info));
        Up(NewTable(new TableName("events"), new ColumnDefinition("id") { StoreType = "bigint" }, new ColumnDefinition("at") { StoreType = "timestamp with time zone" })).AssertNone("SM1024");
    }

    [TestMethod]
    public void A_schema_change_without_a_rollback_warns()
    {
        var analyzer = new Core.Analysis.MigrationAnalyzer();
        var up = new SchemaChange[] { new AddColumnChange(Tasks, new ColumnDefinition("x") { IsNullable = true }) };
        foreach (var state in new[] { DownState.Missing, DownState.Empty, DownState.Throws })
        {
            analyzer.Analyze(new MigrationDefinition("20260101000000_M", up) { DownState = state }).Single("SM1020");
        }

        analyzer.Analyze(new MigrationDefinition("20260101000000_M", up) { DownState = DownState.Present, DownOperations = [new DropColumnChange(Tasks, "x")] }).AssertNone("SM1020");
        analyzer.Analyze(new MigrationDefinition("20260101000000_M", [new DataChange(DataChangeKind.Update, Tasks)]) { DownState = DownState.Missing }).AssertNone("SM1020");
    }
}
