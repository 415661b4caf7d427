using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Gate;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Core.Tests.Gate;

[TestClass]
public sealed class GateChecksTests
{
    private static readonly TableName Todos = new("todo_items");
    private static readonly SourceLocation At = new("Migrations/20260201_X.cs", 12, 13);

    [TestMethod]
    public void Pending_changes_are_listed_with_what_the_rules_say_of_each()
    {
        var changes = new SchemaChange[]
        {
            new AddColumnChange(Todos, new ColumnDefinition("notes") { StoreType = "text", IsNullable = true }),
            new CreateIndexChange("IX_todo_items_title", Todos, ["title"]),
        };

        var result = PendingModelChangesCheck.Judge("TodoDbContext", changes, AnalysisOptions.Default, new SchemaHistory(), At)!;

        Assert.AreEqual(RuleIds.UncapturedModelChanges, result.Finding.RuleId);
        Assert.AreEqual(Severity.Error, result.Finding.Severity);
        Assert.AreEqual(At, result.Finding.Location);
        Assert.AreEqual(Severity.None, result.Changes[0].Worst, "a nullable column is safe");
        Assert.AreEqual(RuleIds.NonConcurrentIndex, result.Changes[1].Findings.Single().RuleId);
        StringAssert.Contains(result.Finding.Message, "(safe)");
        StringAssert.Contains(result.Finding.Message, "(SM1001 error)");
        StringAssert.Contains(result.Finding.Message, "safemig migrations add");
    }

    [TestMethod]
    public void No_pending_change_no_finding_and_another_provider_is_only_listed()
    {
        Assert.IsNull(PendingModelChangesCheck.Judge("Ctx", [], AnalysisOptions.Default, null, At));

        var listed = PendingModelChangesCheck.Judge("Ctx", [new CreateIndexChange("IX", Todos, ["a"])], AnalysisOptions.Default, null, At, judge: false)!;
        Assert.IsEmpty(listed.Changes[0].Findings);
    }

    [TestMethod]
    public void Dropping_a_column_the_previous_release_reads_is_SM3005_unless_a_rule_already_said_so()
    {
        var previous = Schema(("title", false, false), ("legacy", true, false));
        var current = Schema(("title", false, false));
        var drop = new DropColumnChange(Todos, "legacy") { Location = At };
        var migration = new MigrationDefinition("20260201_X", [drop]);

        var alone = PreviousReleaseCheck.Check(migration, previous, current, AnalysisOptions.Default, []);
        Assert.AreEqual(RuleIds.PreviousReleaseBroken, alone.Single().RuleId);
        Assert.AreEqual(At, alone.Single().Location);
        StringAssert.Contains(alone.Single().Message, "\"legacy\"");

        var reported = new Finding(RuleIds.DropColumn, Severity.Error, "drop", migration.Id, At);
        Assert.IsEmpty(PreviousReleaseCheck.Check(migration, previous, current, AnalysisOptions.Default, [reported]), "SM1011 already says it breaks the previous release");
    }

    [TestMethod]
    public void A_contract_migration_is_exempt()
    {
        var migration = new MigrationDefinition("20260201_X", [new DropColumnChange(Todos, "legacy") { Location = At }]) { IsContractStep = true };

        Assert.IsEmpty(PreviousReleaseCheck.Check(migration, Schema(("legacy", true, false)), Schema(), AnalysisOptions.Default, []));
    }

    [TestMethod]
    public void Making_a_column_the_previous_release_writes_null_to_NOT_NULL_is_SM3005_even_with_a_default()
    {
        var alter = new AlterColumnChange(Todos, new ColumnDefinition("title") { IsNullable = false, DefaultValueSql = "''" }, new ColumnDefinition("title") { IsNullable = true }) { Location = At };
        var migration = new MigrationDefinition("20260201_X", [alter]);

        var findings = PreviousReleaseCheck.Check(migration, Schema(("title", true, false)), Schema(("title", false, true)), AnalysisOptions.Default, []);

        StringAssert.Contains(findings.Single().Message, "writes NULL");
    }

    [TestMethod]
    public void A_migration_that_does_not_make_the_column_NOT_NULL_is_not_blamed_for_the_final_model()
    {
        // A generated sequence: its first migration (a concurrent index) already carries the final model, where title is
        // required; the NOT NULL comes in a contract migration of its own.
        var index = new CreateIndexChange("IX_todos_title", Todos, ["title"]) { Concurrently = true, Location = At };
        var migration = new MigrationDefinition("20260201_X", [index]);

        Assert.IsEmpty(PreviousReleaseCheck.Check(migration, Schema(("title", true, false)), Schema(("title", false, false)), AnalysisOptions.Default, []));
    }

    [TestMethod]
    public void SET_NOT_NULL_after_an_earlier_validated_NOT_NULL_check_breaks_nothing_more()
    {
        // The not-null recipe: the check (NOT VALID, then validated) already refuses the previous release's NULLs.
        var history = new SchemaHistory();
        history.Apply([new AddCheckConstraintChange("title_not_null", Todos, "title IS NOT NULL") { NotValid = true }]);
        var notYetValidated = history.Copy();
        history.Apply([new ValidateConstraintChange("title_not_null", Todos)]);
        var alter = new AlterColumnChange(Todos, new ColumnDefinition("title") { IsNullable = false }, new ColumnDefinition("title") { IsNullable = true }) { Location = At };
        var migration = new MigrationDefinition("20260201_X", [alter]);
        var previous = Schema(("title", true, false));
        var current = Schema(("title", false, false));

        Assert.IsEmpty(PreviousReleaseCheck.Check(migration, previous, current, AnalysisOptions.Default, [], history));
        Assert.AreEqual(RuleIds.PreviousReleaseBroken, PreviousReleaseCheck.Check(migration, previous, current, AnalysisOptions.Default, [], notYetValidated).Single().RuleId, "a check not validated yet guards nothing");
        Assert.AreEqual(RuleIds.PreviousReleaseBroken, PreviousReleaseCheck.Check(migration, previous, current, AnalysisOptions.Default, []).Single().RuleId);
    }

    [TestMethod]
    public void Generation_asks_for_a_fill_exactly_when_the_model_chose_no_default_for_the_rows_the_NOT_NULL_recipe_fills()
    {
        string? Needs(SchemaChange change) => SafeFormPlanner.Plan([change]).Select(a => SafeFormPlanner.ColumnNeedingFill(change, a)).SingleOrDefault();
        ColumnDefinition Sku(bool? configured = null, bool clrDefault = false, string? sql = null) => new("sku")
        {
            StoreType = "text", IsNullable = false, HasDefaultValue = clrDefault || configured == true, DefaultValue = clrDefault || configured == true ? string.Empty : null,
            DefaultValueIsClrDefault = clrDefault, IsDefaultConfigured = configured, DefaultValueSql = sql,
        };
        var nullable = new ColumnDefinition("sku") { StoreType = "text", IsNullable = true };

        Assert.AreEqual("sku", Needs(new AddColumnChange(Todos, Sku())), "no default: the existing rows would hold NULL");
        Assert.AreEqual("sku", Needs(new AlterColumnChange(Todos, Sku(configured: false, clrDefault: true), nullable)), "EF's made-up '' is not a value anyone chose");
        Assert.IsNull(Needs(new AlterColumnChange(Todos, Sku(configured: true, clrDefault: true), nullable)), "HasDefaultValue(\"\") in the model is a choice");
        Assert.IsNull(Needs(new AlterColumnChange(Todos, Sku(sql: "'none'"), nullable)));
        Assert.IsNull(Needs(new AddColumnChange(Todos, nullable)), "a nullable column has no NOT NULL recipe");
    }

    [TestMethod]
    public void A_snapshot_without_a_table_the_newest_recorded_model_has_is_SM3006_with_the_command_that_restores_it()
    {
        var users = new TableName("users");
        var lost = ModelSnapshotCheck.Check("ShopContext", "20260101_Initial", [Todos, users], [users], "/app/Migrations/ShopContextModelSnapshot.cs", AnalysisOptions.Default, At)!;

        Assert.AreEqual(RuleIds.ModelSnapshotLostTables, lost.RuleId);
        Assert.AreEqual(Severity.Error, lost.Severity);
        Assert.AreEqual(At, lost.Location);
        StringAssert.Contains(lost.Message, Todos.ToString());
        Assert.DoesNotContain(users.ToString(), lost.Message);
        StringAssert.Contains(lost.Message, "git checkout -- \"/app/Migrations/ShopContextModelSnapshot.cs\"");
        Assert.IsNull(ModelSnapshotCheck.Check("ShopContext", "20260101_Initial", [users], [Todos, users], null, AnalysisOptions.Default, At), "a table the snapshot has beyond it is a pending change, not a loss");
        var off = AnalysisOptions.Default with { Severities = new Dictionary<string, Severity> { [RuleIds.ModelSnapshotLostTables] = Severity.None } };
        Assert.IsNull(ModelSnapshotCheck.Check("ShopContext", "20260101_Initial", [Todos], [], null, off, At));
    }

    [TestMethod]
    public void A_backfill_must_name_a_table_key_and_SET_columns_the_model_has_as_PostgreSQL_reads_them()
    {
        var users = new ReleaseTable(new TableName("users"), [new ReleaseColumn("id", false, true), new ReleaseColumn("full_name", true, false), new ReleaseColumn("Email", true, false)]) { PrimaryKey = ["id"] };
        var pairs = new ReleaseTable(new TableName("pairs"), [new ReleaseColumn("a", false, false), new ReleaseColumn("b", false, false)]) { PrimaryKey = ["a", "b"] };
        var target = new ReleaseSchema([users, pairs]);
        IReadOnlyList<Finding> Check(string table, string key, string set) =>
            BackfillTargetsCheck.Check(new MigrationDefinition("20260201_Fill", [new RawSqlChange(BackfillSql.Statement(new BackfillSpec(null, table, key, set, "true", 100, 0))) { Location = At }]), target, AnalysisOptions.Default);

        Assert.IsEmpty(Check("users", string.Empty, "full_name = coalesce(\"Email\", 'x, y'), \"Email\" = lower(\"Email\")"), "the primary key, a quoted and an unquoted column");
        Assert.IsEmpty(Check("users", "id", "FULL_NAME = 'x'"), "unquoted names fold to lower case");

        var key = Check("users", "Id", "full_name = 'x'").Single();
        Assert.AreEqual(RuleIds.BackfillTargetMissing, key.RuleId);
        Assert.AreEqual(Severity.Error, key.Severity);
        Assert.AreEqual(At, key.Location);
        StringAssert.Contains(key.Message, "key column \"Id\"");
        StringAssert.Contains(key.Message, "it has \"id\"");
        StringAssert.Contains(Check("users", string.Empty, "Email = 'x'").Single().Message, "sets column \"email\"", "Email unquoted is email, which the table does not have");
        StringAssert.Contains(Check("pairs", string.Empty, "a = 1").Single().Message, "2 columns");
        var folded = BackfillTargetsCheck.Check(new MigrationDefinition("20260201_Fill", [new RawSqlChange(BackfillSql.Statement(new BackfillSpec(null, "users", "", "full_name = lower(\"Email\")", "Email IS NOT NULL AND full_name <> 'Email'", 100, 0))) { Location = At }]), target, AnalysisOptions.Default).Single();
        StringAssert.Contains(folded.Message, "reads column \"email\" (unquoted Email", "an unquoted mixed-case name in WHERE, not the string literal 'Email'");
        var unmapped = Check("legacy", string.Empty, "x = 1").Single();
        Assert.AreEqual(Severity.Warning, unmapped.Severity, "a table outside EF's model may exist");
        Assert.IsEmpty(BackfillTargetsCheck.Check(new MigrationDefinition("X", [new RawSqlChange(BackfillSql.Statement(new BackfillSpec(null, "legacy", "", "x = 1", "true", 1, 0)))]), null, AnalysisOptions.Default), "no target model, nothing to check against");
    }

    [TestMethod]
    public void A_new_NOT_NULL_column_breaks_the_previous_releases_inserts_only_without_a_default()
    {
        var previous = Schema(("title", false, false));
        var current = Schema(("title", false, false), ("priority", false, false));
        AddColumnChange Add(ColumnDefinition column) => new(Todos, column) { Location = At };

        var withoutDefault = new MigrationDefinition("X", [Add(new ColumnDefinition("priority") { IsNullable = false, StoreType = "integer" })]);
        var withDefault = new MigrationDefinition("X", [Add(new ColumnDefinition("priority") { IsNullable = false, StoreType = "integer", HasDefaultValue = true, DefaultValue = 0 })]);

        StringAssert.Contains(PreviousReleaseCheck.Check(withoutDefault, previous, current, AnalysisOptions.Default, []).Single().Message, "inserts");
        Assert.IsEmpty(PreviousReleaseCheck.Check(withDefault, previous, current, AnalysisOptions.Default, []));
    }

    [TestMethod]
    public void The_safe_form_planner_picks_the_code_fixes_recipes()
    {
        var users = new TableName("users");
        var changes = new SchemaChange[]
        {
            new CreateTableChange(new TableName("tags"), [new ColumnDefinition("id") { StoreType = "bigint", IsNullable = false }]),
            new CreateIndexChange("IX_tags_id", new TableName("tags"), ["id"]),
            new CreateIndexChange("IX_todo_items_title", Todos, ["title"]),
            new DropIndexChange("IX_todo_items_old", Todos),
            new AddForeignKeyChange("FK_todo_items_users_owner_id", Todos, ["owner_id"], users) { PrincipalColumns = ["id"] },
            new AddCheckConstraintChange("CK_todo_items_priority", Todos, "priority >= 0"),
        };

        var plan = SafeFormPlanner.Plan(changes);

        Assert.IsFalse(plan.Any(a => a.Index is 0 or 1), "a new table needs nothing");
        Assert.AreEqual(SafeFormKind.CreateIndexConcurrently, plan.Single(a => a.Index == 2).Kind);
        Assert.AreEqual("DROP INDEX CONCURRENTLY IF EXISTS \"IX_todo_items_old\";", plan.Single(a => a.Index == 3).Sql);
        var foreignKey = plan.Single(a => a.Index == 4);
        StringAssert.EndsWith(foreignKey.Sql, "NOT VALID;");
        Assert.AreEqual("ALTER TABLE \"todo_items\" VALIDATE CONSTRAINT \"FK_todo_items_users_owner_id\";", foreignKey.ValidateSql);
        Assert.AreEqual(SafeFormKind.AddNotValidThenValidate, plan.Single(a => a.Index == 5).Kind);
    }

    [TestMethod]
    public void The_sql_plan_names_each_statements_lock()
    {
        var statements = SqlPlan.Statements("CREATE INDEX \"IX_a\" ON todo_items (a);\nALTER TABLE todo_items VALIDATE CONSTRAINT \"FK_a\";", insideTransaction: true);

        Assert.HasCount(2, statements);
        Assert.AreEqual(LockLevel.Share, statements[0].Lock);
        Assert.AreEqual(Todos, statements[0].Table);
        Assert.AreEqual(LockLevel.ShareUpdateExclusive, statements[1].Lock);
    }

    private static ReleaseSchema Schema(params (string Name, bool Nullable, bool Generated)[] columns) =>
        new([new ReleaseTable(Todos, columns.Select(c => new ReleaseColumn(c.Name, c.Nullable, c.Generated)).ToList())]);
}
