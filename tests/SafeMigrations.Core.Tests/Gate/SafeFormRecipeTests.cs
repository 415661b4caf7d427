using System.Text.RegularExpressions;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Gate;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;
using SafeMigrations.Testing;

namespace SafeMigrations.Core.Tests.Gate;

/// <summary>
/// One recipe, one implementation: the SQL the generator (Core's planner) writes is the SQL the templates ship, statement
/// for statement, with the templates' placeholders as names; and what generation cannot write names its next command.
/// </summary>
[TestClass]
public sealed partial class SafeFormRecipeTests
{
    private static readonly TableName Table = new("TABLE_NAME", "SCHEMA_NAME");

    [TestMethod]
    public void The_not_null_template_runs_the_planners_statements()
    {
        var recipe = SafeFormPlanner.SetNotNull(0, Table, "COLUMN_NAME", "CHECK_NAME");

        Assert.AreEqual(recipe.Sql, Up("not-null/prepare/20000101000000_MigrationName.cs").Single());
        Assert.AreEqual(recipe.UndoSql, Down("not-null/prepare/20000101000000_MigrationName.cs").Single());
        Assert.AreEqual(recipe.ValidateSql, Up("not-null/prepare/20000101000000_MigrationNameValidate.cs").Single());
        Assert.AreEqual(recipe.FinishSql, Up("not-null/finish/20000101000000_MigrationName.cs").Single());
        CollectionAssert.AreEqual(new[] { recipe.UndoFinishSql, recipe.ValidateSql }, Down("not-null/finish/20000101000000_MigrationName.cs").ToList());
    }

    [TestMethod]
    public void The_constraint_and_unique_templates_run_the_planners_statements()
    {
        var check = new AddCheckConstraintChange("CONSTRAINT_NAME", Table, "CHECK_EXPRESSION");
        Assert.AreEqual(ConstraintSql.AddNotValid(check), Up("constraint/20000101000000_MigrationName.cs").Single(s => s.Contains("CHECK (", StringComparison.Ordinal)));
        Assert.AreEqual(ConstraintSql.Drop(Table, "CONSTRAINT_NAME"), Down("constraint/20000101000000_MigrationName.cs").Single());
        Assert.AreEqual(ConstraintSql.Validate(Table, "CONSTRAINT_NAME"), Up("constraint/20000101000000_MigrationNameValidate.cs").Single());

        // A column list is the user's own text in the templates: compared without the quotes Core puts around a name.
        var foreignKey = new AddForeignKeyChange("CONSTRAINT_NAME", Table, ["COLUMN_LIST"], new TableName("REFERENCED_TABLE", "SCHEMA_NAME")) { PrincipalColumns = ["REFERENCED_LIST"], OnDelete = ForeignKeyAction.Cascade };
        Assert.AreEqual(Unquoted(ConstraintSql.AddNotValid(foreignKey)!), Up("constraint/20000101000000_MigrationName.cs").Single(s => s.Contains("FOREIGN KEY", StringComparison.Ordinal)).Replace("ON_DELETE_SQL", "CASCADE", StringComparison.Ordinal));

        var unique = SafeFormPlanner.Plan([new AddUniqueConstraintChange("INDEX_NAME", Table, ["COLUMN_LIST"])]).Single();
        Assert.AreEqual(SafeFormKind.UniqueThroughConcurrentIndex, unique.Kind);
        Assert.AreEqual(Unquoted(unique.Sql!), Up("unique/20000101000000_MigrationName.cs").Last());
        Assert.AreEqual(unique.UndoSql, Down("unique/20000101000000_MigrationName.cs").Single());
        Assert.AreEqual(unique.FinishSql, Up("unique/20000101000000_MigrationNameConstraint.cs").Single().Replace("CONSTRAINT_KIND", "UNIQUE", StringComparison.Ordinal));
        Assert.AreEqual(unique.UndoFinishSql, Down("unique/20000101000000_MigrationNameConstraint.cs").First());
    }

    [TestMethod]
    public void The_index_and_unique_templates_build_the_way_the_planner_does_re_runnable()
    {
        var index = SafeFormPlanner.Plan([new CreateIndexChange("INDEX_NAME", Table, ["COLUMN_LIST"])]).Single();
        // The template's Up holds its --drop variant first, then the build: the drop of an INVALID index, the concurrent build.
        var templateUp = Up("index/20000101000000_MigrationName.cs").ToList();
        Assert.HasCount(3, templateUp);
        Assert.AreEqual(index.PrepareSql, templateUp[1].Trim());
        Assert.AreEqual(Unquoted(index.Sql!), templateUp[2].Replace("UNIQUE_KEYWORD", string.Empty, StringComparison.Ordinal));
        Assert.AreEqual(index.UndoSql, Down("index/20000101000000_MigrationName.cs").Last());
        Assert.AreEqual(index.PrepareSql, Up("unique/20000101000000_MigrationName.cs").First().Trim());

        // The same suppressions, with the same reasons, on the template's class and on what the generator writes.
        foreach (var template in new[] { "index/20000101000000_MigrationName.cs", "unique/20000101000000_MigrationName.cs" })
        {
            var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "templates", "SafeMigrations.Templates", "content", template));
            foreach (var (ruleId, justification) in IndexSql.RerunnableBuildSuppressions)
            {
                StringAssert.Contains(text, $"[SuppressMigrationRule(\"{ruleId}\", Justification = \"{justification}\")]", template);
            }
        }
    }

    [TestMethod]
    public void Generation_plans_not_null_unique_and_drops_and_leaves_what_has_no_safe_form()
    {
        var users = new TableName("users");
        var actions = SafeFormPlanner.Plan(
        [
            new AlterColumnChange(users, new ColumnDefinition("email") { IsNullable = false, StoreType = "text" }, new ColumnDefinition("email") { IsNullable = true, StoreType = "text" }),
            new DropColumnChange(users, "legacy"),
            new AlterColumnChange(users, new ColumnDefinition("name") { StoreType = "character varying(50)", IsNullable = true }, new ColumnDefinition("name") { StoreType = "character varying(200)", IsNullable = true }),
        ]);

        CollectionAssert.AreEqual(new[] { SafeFormKind.SetNotNullThroughCheck, SafeFormKind.DropInContractMigration }, actions.Select(a => a.Kind).ToList());
        Assert.AreEqual("ALTER TABLE \"users\" ADD CONSTRAINT \"users_email_not_null\" CHECK (\"email\" IS NOT NULL) NOT VALID;", actions[0].Sql);
        var fill = SafeFormPlanner.FillNulls(users, "email", "DEFAULT");
        Assert.AreEqual(("\"email\" = DEFAULT", "\"email\" IS NULL", true), (fill.Set, fill.Where, fill.UsesPrimaryKey));

        // A primary key on an existing table and a new NOT NULL column without a default: both generated.
        var keyed = SafeFormPlanner.Plan(
        [
            new AddPrimaryKeyChange("PK_users", users, ["id"]),
            new AddColumnChange(users, new ColumnDefinition("code") { IsNullable = false, StoreType = "text" }),
            new AddColumnChange(users, new ColumnDefinition("public_id") { IsNullable = false, StoreType = "uuid", DefaultValueSql = "gen_random_uuid()" }),
            new AddColumnChange(users, new ColumnDefinition("created") { IsNullable = false, StoreType = "timestamptz", DefaultValueSql = "now()" }),
        ]);
        CollectionAssert.AreEqual(new[] { SafeFormKind.UniqueThroughConcurrentIndex, SafeFormKind.AddNullableThenSetNotNull, SafeFormKind.AddThenSetVolatileDefault }, keyed.Select(a => a.Kind).ToList(),
            "now() is stable: PostgreSQL stores it once, nothing to rewrite");
        Assert.AreEqual(("SM1016", "ALTER TABLE \"users\" ADD CONSTRAINT \"PK_users\" PRIMARY KEY USING INDEX \"PK_users\";"), (keyed[0].RuleId, keyed[0].FinishSql));
        StringAssert.Contains(keyed[0].Sql, "CREATE UNIQUE INDEX CONCURRENTLY");
        Assert.AreEqual(("SM1004", "ALTER TABLE \"users\" ADD CONSTRAINT \"users_code_not_null\" CHECK (\"code\" IS NOT NULL) NOT VALID;"), (keyed[1].RuleId, keyed[1].Sql));
        StringAssert.Contains(Remedies.For(RuleIds.RequiredColumnWithoutDefault, new AddColumnChange(users, new ColumnDefinition("code") { IsNullable = false }), null), "safemig migrations add, which with --fill \"code=<SQL for existing rows>\"");

        var narrowing = new AlterColumnChange(users, new ColumnDefinition("name") { StoreType = "character varying(50)" }, new ColumnDefinition("name") { StoreType = "character varying(200)" });
        Assert.AreEqual(
            "put the model's max length back to 200 (HasMaxLength(200)), so EF scaffolds no AlterColumn, and limit the length with a check: dotnet new safemig-constraint -n LimitNameLength --context ShopContext --table users --constraint-name users_name_length --expression \"char_length(\\\"name\\\") <= 50\" -o Migrations",
            Remedies.For(RuleIds.NarrowingTypeChange, narrowing, "ShopContext"));
        StringAssert.Contains(Remedies.For(RuleIds.RenameTable, new RenameTableChange(users, new TableName("members")), null), "ToTable(\"users\")");
        StringAssert.Contains(
            Remedies.For(RuleIds.RewritingColumnDefault, new AddColumnChange(users, new ColumnDefinition("token") { DefaultValueSql = "gen_random_uuid()" }), "ShopContext"),
            "dotnet new safemig-backfill -n BackfillToken --context ShopContext --table users --set \"\\\"token\\\" = gen_random_uuid()\" --where \"\\\"token\\\" IS NULL\"");
        StringAssert.Contains(Remedies.For(RuleIds.RenameColumn, new RenameColumnChange(users, "name", "full_name"), null), "dotnet new safemig-expand -n RenameNameToFullName --context <YourDbContext> --table users --old-column name --new-column full_name");
    }

    [TestMethod]
    public void An_error_finding_ends_with_its_next_command_and_pending_changes_say_which_are_generated()
    {
        var migration = new MigrationDefinition("20260101000000_Rename", [new RenameColumnChange(new TableName("users"), "name", "full_name")]) { ContextName = "ShopContext" };
        var finding = new MigrationAnalyzer(AnalysisOptions.Default).Analyze(migration).Single(f => f.RuleId == RuleIds.RenameColumn);
        StringAssert.EndsWith(finding.Message, "Next: remove this migration (dotnet ef migrations remove) and run dotnet safemig migrations add, which writes the expand/contract; or by hand dotnet new safemig-expand -n RenameNameToFullName --context ShopContext --table users --old-column name --new-column full_name -o Migrations (the templates, once: dotnet new install SafeMigrations.Templates).");

        var pending = PendingModelChangesCheck.Judge("ShopContext",
        [
            new AlterColumnChange(new TableName("users"), new ColumnDefinition("email") { IsNullable = false }, new ColumnDefinition("email") { IsNullable = true }),
            new RenameColumnChange(new TableName("users"), "name", "full_name"),
            new AlterColumnChange(new TableName("users"), new ColumnDefinition("age") { StoreType = "bigint" }, new ColumnDefinition("age") { StoreType = "text" }),
        ], AnalysisOptions.Default, history: null, location: null)!;
        StringAssert.Contains(pending.Finding.Message, "'dotnet safemig migrations add <Name> --context ShopContext --fill \"email=<SQL for rows that hold NULL>\"' writes the safe form of ALTER TABLE");
        StringAssert.Contains(pending.Finding.Message, "RENAME COLUMN", "a rename is generated as expand/contract");
        StringAssert.Contains(pending.Finding.Message, "No safe form is generated for");
        StringAssert.Contains(pending.Finding.Message, "(SM1006): map the property to a new column");
    }

    [TestMethod]
    public void The_recipes_last_step_as_EF_scaffolds_it_keeps_a_default_the_model_lacks_SM1032()
    {
        var users = new TableName("users");
        var history = new SchemaHistory();
        history.Apply([ new AddCheckConstraintChange("users_email_not_null", users, "email IS NOT NULL") { NotValid = true }, new ValidateConstraintChange("users_email_not_null", users) ]);
        AlterColumnChange Alter(bool filledIn) => new(users,
            new ColumnDefinition("email") { IsNullable = false, HasDefaultValue = filledIn, DefaultValue = filledIn ? string.Empty : null, DefaultValueIsClrDefault = filledIn, IsDefaultConfigured = false },
            new ColumnDefinition("email") { IsNullable = true });

        var findings = new MigrationAnalyzer(AnalysisOptions.Default).Analyze(new MigrationDefinition("20260301_RequireEmail", [Alter(filledIn: true)]), history);
        var sm1032 = findings.Single(f => f.RuleId == RuleIds.ClrDefaultForExistingRows);
        StringAssert.Contains(sm1032.Message, "delete defaultValue from this AlterColumn");
        Assert.IsFalse(findings.Any(f => f.RuleId == RuleIds.SetNotNull), "the validated check makes SET NOT NULL cheap");
        Assert.IsFalse(new MigrationAnalyzer(AnalysisOptions.Default).Analyze(new MigrationDefinition("20260301_RequireEmail", [Alter(filledIn: false)]), history).Any(), "with defaultValue deleted: clean");
    }

    [TestMethod]
    public void The_expand_template_runs_the_planners_statements()
    {
        var function = ExpandSql.SyncName(Table, "NEW_COLUMN");
        var up = Up("expand/expand/20000101000000_MigrationName.cs").ToList();
        Assert.AreEqual(ExpandSql.CreateSyncFunction(Table, "FUNCTION_NAME", "OLD_COLUMN", "NEW_COLUMN", "NEW_TYPE", "OLD_TYPE"),
            up[0].Trim().Replace("CAST_TO_NEW", "::NEW_TYPE", StringComparison.Ordinal).Replace("CAST_TO_OLD", "::OLD_TYPE", StringComparison.Ordinal));
        Assert.AreEqual(ExpandSql.CreateSyncTrigger(Table, "FUNCTION_NAME"), up[1]);
        CollectionAssert.AreEqual(new[] { ExpandSql.DropSyncTrigger(Table, "FUNCTION_NAME"), ExpandSql.DropSyncFunction(Table, "FUNCTION_NAME") }, Down("expand/expand/20000101000000_MigrationName.cs").ToList());
        CollectionAssert.AreEqual(new[] { ExpandSql.DropSyncTrigger(Table, "FUNCTION_NAME"), ExpandSql.DropSyncFunction(Table, "FUNCTION_NAME") }, Up("expand/contract/20000101000000_MigrationName.cs").ToList());
        Assert.AreEqual("TABLE_NAME_sync_NEW_COLUMN", function, "the template's default name");
    }

    private static IEnumerable<string> Up(string template) => SqlOf(template, "Up");

    private static IEnumerable<string> Down(string template) => SqlOf(template, "Down");

    /// <summary>The SQL of each migrationBuilder.Sql(@"…") call in the template's Up or Down, as C# reads the verbatim string.</summary>
    private static IEnumerable<string> SqlOf(string template, string method)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "templates", "SafeMigrations.Templates", "content", template)).ReplaceLineEndings("\n");
        var start = text.IndexOf($"void {method}(MigrationBuilder migrationBuilder)", StringComparison.Ordinal);
        var end = method == "Up" ? text.IndexOf("void Down(", start, StringComparison.Ordinal) : text.Length;
        return SqlCall().Matches(text[start..end]).Select(m => m.Groups["sql"].Value.Replace("\"\"", "\"", StringComparison.Ordinal));
    }

    private static string Unquoted(string sql) => PlaceholderInQuotes().Replace(sql, "${name}");

    [GeneratedRegex("""migrationBuilder\.Sql\(@"(?<sql>(?:[^"]|"")*)"(?:, suppressTransaction: true)?\);""")]
    private static partial Regex SqlCall();

    [GeneratedRegex("\"(?<name>COLUMN_LIST|REFERENCED_LIST)\"")]
    private static partial Regex PlaceholderInQuotes();
}
