using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;
using static SafeMigrations.Core.Tests.Judge;

namespace SafeMigrations.Core.Tests.Rules;

[TestClass]
public sealed class RequiredColumnWithoutDefaultRuleTests
{
    private static ColumnDefinition Required(string name) => new(name) { StoreType = "integer", IsNullable = false };

    [TestMethod]
    public void A_required_column_without_default_on_an_existing_table_is_an_error()
    {
        StringAssert.Contains(Up(new AddColumnChange(Tasks, Required("rank"))).Single("SM1004").Message, "\"rank\"");
        UpSql("ALTER TABLE todo_items ADD COLUMN rank integer NOT NULL").Single("SM1004");
    }

    [TestMethod]
    public void EFs_clr_default_is_an_error_only_when_a_constraint_of_the_same_migration_fails_on_it()
    {
        var categoryId = new AddColumnChange(Tasks, Filled("category_id", 0));
        var foreignKey = new AddForeignKeyChange("FK_todo_items_categories", Tasks, ["category_id"], new TableName("categories"));
        StringAssert.Contains(Up(categoryId, foreignKey).Single("SM1004").Message, "foreign key \"FK_todo_items_categories\"");
        Up(categoryId, foreignKey).AssertNone("SM1032");

        var code = new AddColumnChange(Tasks, Filled("code", string.Empty) with { StoreType = "text" });
        var unique = new CreateIndexChange("IX_todo_items_code", Tasks, ["code"]) { IsUnique = true };
        StringAssert.Contains(Up(code, unique).Single("SM1004").Message, "unique index");

        // The same value alone breaks nothing: SM1032 tells what existing rows get.
        Up(categoryId).AssertNone("SM1004");
        Up(code, new CreateIndexChange("IX_todo_items_code_done", Tasks, ["code", "done"]) { IsUnique = true }).AssertNone("SM1004");
    }

    [TestMethod]
    public void Nullable_columns_deliberate_defaults_and_new_tables_are_fine()
    {
        Up(new AddColumnChange(Tasks, Required("rank") with { IsNullable = true })).AssertNone("SM1004");
        Up(new AddColumnChange(Tasks, Required("rank") with { HasDefaultValue = true, DefaultValue = 2 })).AssertNone("SM1004");
        UpSql("ALTER TABLE todo_items ADD COLUMN rank integer NOT NULL DEFAULT 2").AssertClean();
        Up(NewTable(Tasks), new AddColumnChange(Tasks, Required("rank"))).AssertNone("SM1004");
    }

    internal static ColumnDefinition Filled(string name, object value) =>
        new(name) { StoreType = "integer", IsNullable = false, HasDefaultValue = true, DefaultValue = value, DefaultValueIsClrDefault = true };
}

[TestClass]
public sealed class ClrDefaultForExistingRowsRuleTests
{
    [TestMethod]
    public void Existing_rows_getting_EFs_fill_in_is_a_warning_that_names_the_value()
    {
        var finding = Up(new AddColumnChange(Tasks, RequiredColumnWithoutDefaultRuleTests.Filled("rank", 0))).Single("SM1032");
        Assert.AreEqual(Severity.Warning, finding.Severity);
        StringAssert.Contains(finding.Message, "every existing row gets 0");
        var text = Up(new AddColumnChange(Tasks, RequiredColumnWithoutDefaultRuleTests.Filled("code", string.Empty) with { StoreType = "text" })).Single("SM1032");
        StringAssert.Contains(text.Message, "'' (empty string)");
    }

    [TestMethod]
    public void A_boolean_flag_defaulting_to_false_is_information_only()
    {
        var finding = Up(new AddColumnChange(Tasks, RequiredColumnWithoutDefaultRuleTests.Filled("is_archived", false) with { StoreType = "boolean" })).Single("SM1032");
        Assert.AreEqual(Severity.Info, finding.Severity);
    }

    [TestMethod]
    public void A_default_the_target_model_configures_is_the_developers_choice()
    {
        var configured = RequiredColumnWithoutDefaultRuleTests.Filled("rank", 0) with { IsDefaultConfigured = true };
        Assert.IsEmpty(Up(new AddColumnChange(Tasks, configured)).Where(f => f.RuleId is "SM1004" or "SM1032"));
        var notConfigured = RequiredColumnWithoutDefaultRuleTests.Filled("rank", 0) with { IsDefaultConfigured = false };
        Up(new AddColumnChange(Tasks, notConfigured)).Single("SM1032");
    }
}

[TestClass]
public sealed class RewritingColumnDefaultRuleTests
{
    [TestMethod]
    [DataRow("gen_random_uuid()")]
    [DataRow("clock_timestamp()")]
    [DataRow("(random() * 10)::int")]
    [DataRow("my_function()")]
    public void Volatile_defaults_rewrite_the_table(string expression)
    {
        var column = new ColumnDefinition("token") { StoreType = "uuid", IsNullable = true, DefaultValueSql = expression };
        StringAssert.Contains(Up(new AddColumnChange(Tasks, column)).Single("SM1005").Message, "ACCESS EXCLUSIVE");
    }

    [TestMethod]
    [DataRow("now()")]
    [DataRow("CURRENT_TIMESTAMP")]
    [DataRow("'pending'")]
    [DataRow("false")]
    [DataRow("lower('X')")]
    public void Stable_and_constant_defaults_do_not_rewrite(string expression)
    {
        var column = new ColumnDefinition("c") { StoreType = "text", IsNullable = true, DefaultValueSql = expression };
        Up(new AddColumnChange(Tasks, column)).AssertNone("SM1005");
    }

    [TestMethod]
    public void Stored_computed_columns_rewrite_but_virtual_ones_on_pg18_do_not()
    {
        var stored = new ColumnDefinition("total") { StoreType = "numeric", ComputedColumnSql = "price * qty", IsComputedStored = true };
        Up(new AddColumnChange(Tasks, stored)).Single("SM1005");
        UpSql("ALTER TABLE todo_items ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) STORED").Single("SM1005");
        var unspecified = stored with { IsComputedStored = null };
        Up(new AnalysisOptions { TargetPostgresVersion = 18 }, new AddColumnChange(Tasks, unspecified)).AssertNone("SM1005");
    }
}

[TestClass]
public sealed class TypeChangeRulesTests
{
    private static AlterColumnChange Change(string from, string to, bool? key = null) =>
        new(Tasks, new ColumnDefinition("c") { StoreType = to }, new ColumnDefinition("c") { StoreType = from }) { IsKeyColumn = key };

    [TestMethod]
    public void Timestamp_to_timestamptz_is_a_warning_that_depends_on_the_session_time_zone()
    {
        var finding = Up(Change("timestamp without time zone", "timestamp with time zone")).Single("SM1006");
        Assert.AreEqual(Severity.Warning, finding.Severity);
        StringAssert.Contains(finding.Message, "TimeZone=UTC");
    }

    [TestMethod]
    public void A_type_change_stated_only_by_clr_types_is_judged_with_npgsqls_default_mapping()
    {
        var numericToLong = new AlterColumnChange(Tasks, new ColumnDefinition("guild_id") { ClrType = "long" }, new ColumnDefinition("guild_id") { ClrType = "decimal", StoreType = "numeric(20)" });
        var finding = Up(numericToLong).Single("SM1006");
        Assert.AreEqual(Severity.Error, finding.Severity);
        StringAssert.Contains(finding.Message, "numeric(20) to bigint");
        var sameClr = new AlterColumnChange(Tasks, new ColumnDefinition("title") { ClrType = "string", IsNullable = true }, new ColumnDefinition("title") { ClrType = "string", IsNullable = false });
        Up(sameClr).AssertNone("SM1006");
        var unknownTarget = new AlterColumnChange(Tasks, new ColumnDefinition("at") { ClrType = "DateTimeOffset" }, new ColumnDefinition("at") { ClrType = "DateTime" });
        Assert.AreEqual(Severity.Warning, Up(unknownTarget).Single("SM1006").Severity, "DateTime's mapping depends on the Npgsql version");
    }

    [TestMethod]
    public void A_collation_change_is_a_warning_about_the_index_rebuild()
    {
        var change = new AlterColumnChange(Tasks,
            new ColumnDefinition("email") { StoreType = "character varying(200)", Collation = "case_insensitive" },
            new ColumnDefinition("email") { StoreType = "character varying(200)" });
        var finding = Up(change).Single("SM1006");
        Assert.AreEqual(Severity.Warning, finding.Severity);
        StringAssert.Contains(finding.Message, "rebuilds every index");
    }

    [TestMethod]
    public void Messages_claim_only_the_data_effects_a_conversion_has()
    {
        StringAssert.Contains(Up(Change("numeric", "numeric(10,2)")).Single("SM1006").Message, "rounds existing values to 2 decimal places");
        StringAssert.Contains(Up(Change("character(128)", "character varying(128)")).Single("SM1006").Message, "strips the padding spaces");
        var toText = Up(Change("integer", "text")).Single("SM1006").Message;
        Assert.DoesNotContain("fails", toText, "every value converts to text");
        StringAssert.Contains(Up(Change("text", "integer")).Single("SM1006").Message, "fails on a value that does not convert");
    }

    [TestMethod]
    public void Rewriting_changes_are_SM1006()
    {
        Up(Change("integer", "bigint")).Single("SM1006");
        Up(Change("text", "jsonb")).Single("SM1006");
        Up(Change("numeric(10,2)", "numeric(12,4)")).Single("SM1006");
    }

    [TestMethod]
    public void Binary_coercible_changes_pass()
    {
        var findings = Up(
            Change("character varying(100)", "character varying(200)"),
            Change("varchar(50)", "text"),
            Change("numeric(10,2)", "numeric(12,2)"),
            Change("timestamp(3) with time zone", "timestamptz"),
            Change("cidr", "inet"));
        findings.AssertNone("SM1006");
        findings.AssertNone("SM1008");
    }

    [TestMethod]
    public void Narrowing_is_SM1008_not_SM1006()
    {
        var findings = Up(Change("character varying(200)", "character varying(50)"));
        findings.Single("SM1008");
        findings.AssertNone("SM1006");
        Up(Change("text", "varchar(20)")).Single("SM1008");
        var byLength = new AlterColumnChange(Tasks, new ColumnDefinition("title") { MaxLength = 100 }, new ColumnDefinition("title") { MaxLength = 255 });
        Up(byLength).Single("SM1008");
    }

    [TestMethod]
    public void Key_columns_are_SM1025_instead()
    {
        var findings = Up(Change("integer", "bigint", key: true));
        findings.Single("SM1025");
        findings.AssertNone("SM1006");
    }

    [TestMethod]
    public void Sql_type_changes_with_an_unknown_previous_type_may_rewrite()
    {
        StringAssert.Contains(UpSql("ALTER TABLE todo_items ALTER COLUMN priority TYPE bigint").Single("SM1006").Message, "may rewrite");
    }
}

[TestClass]
public sealed class NullabilityRulesTests
{
    private static AlterColumnChange Nullability(bool oldNullable, bool newNullable) =>
        new(Tasks, new ColumnDefinition("title") { StoreType = "text", IsNullable = newNullable }, new ColumnDefinition("title") { StoreType = "text", IsNullable = oldNullable });

    [TestMethod]
    public void Nullable_to_not_null_on_an_existing_table_is_SM1007()
    {
        StringAssert.Contains(Up(Nullability(true, false)).Single("SM1007").Message, "IS NOT NULL) NOT VALID");
        UpSql("ALTER TABLE todo_items ALTER COLUMN title SET NOT NULL").Single("SM1007");
    }

    [TestMethod]
    public void Restating_not_null_is_not_a_change()
    {
        Up(Nullability(false, false)).AssertNone("SM1007");
    }

    [TestMethod]
    public void Dropping_not_null_is_only_information()
    {
        var finding = Up(Nullability(false, true)).Single("SM1027");
        Assert.AreEqual(Core.Rules.Severity.Info, finding.Severity);
    }
}
