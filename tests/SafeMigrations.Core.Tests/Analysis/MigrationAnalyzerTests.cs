using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;
using static SafeMigrations.Core.Tests.Judge;

namespace SafeMigrations.Core.Tests.Analysis;

[TestClass]
public sealed class MigrationAnalyzerTests
{
    private static readonly SchemaChange DropDescription = new DropColumnChange(Tasks, "description");

    [TestMethod]
    public void A_justified_suppression_removes_the_finding()
    {
        var migration = Migration(DropDescription) with { Suppressions = [new Suppression("SM1011", "column unused since release 4.2")] };
        Assert.IsEmpty(new MigrationAnalyzer().Analyze(migration));
    }

    [TestMethod]
    public void A_suppression_without_justification_is_not_applied_and_is_SM0001()
    {
        var migration = Migration(DropDescription) with { Suppressions = [new Suppression("SM1011", "  ", new SourceLocation("M.cs", 5, 5))] };
        var findings = new MigrationAnalyzer().Analyze(migration);
        findings.Single("SM1011");
        Assert.AreEqual(5, findings.Single("SM0001").Location!.Line);
    }

    [TestMethod]
    public void A_suppression_that_suppresses_nothing_is_SM0002()
    {
        var migration = Migration(DropDescription) with { Suppressions = [new Suppression("SM1009", "left over")] };
        var findings = new MigrationAnalyzer().Analyze(migration);
        findings.Single("SM0002");
        findings.Single("SM1011");
    }

    [TestMethod]
    public void Migrations_up_to_the_baseline_are_not_judged()
    {
        var analyzer = new MigrationAnalyzer(new AnalysisOptions { BaselineMigrationId = "20260101000000_Test" });
        Assert.IsEmpty(analyzer.Analyze(Migration(DropDescription)));
        Assert.IsNotEmpty(analyzer.Analyze(Migration(DropDescription) with { Id = "20260102000000_Later" }));
    }

    [TestMethod]
    public void Severities_can_be_raised_lowered_or_turned_off()
    {
        var options = new AnalysisOptions
        {
            Severities = new Dictionary<string, Severity> { ["SM1011"] = Severity.Warning, ["SM1002"] = Severity.None },
        };
        var findings = new MigrationAnalyzer(options).Analyze(Migration(DropDescription, new DropIndexChange("IX", Tasks)));
        Assert.AreEqual(Severity.Warning, findings.Single("SM1011").Severity);
        findings.AssertNone("SM1002");
    }

    [TestMethod]
    public void Target_versions_below_12_are_rejected()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AnalysisOptions { TargetPostgresVersion = 11 });
    }

    [TestMethod]
    public void Down_is_not_judged_by_default_but_can_be()
    {
        var addColumn = new AddColumnChange(Tasks, new ColumnDefinition("x") { IsNullable = true });
        var migration = Migration(addColumn) with { DownOperations = [new DropColumnChange(Tasks, "x")] };
        Assert.IsEmpty(new MigrationAnalyzer().Analyze(migration));
        new MigrationAnalyzer(new AnalysisOptions { CheckDown = true }).Analyze(migration).Single("SM1011");
    }

    [TestMethod]
    public void The_not_null_recipe_across_three_migrations_passes_clean()
    {
        var migrations = new[]
        {
            new MigrationDefinition("20260101000000_AddCheck", [new RawSqlChange("ALTER TABLE todo_items ADD CONSTRAINT title_not_null CHECK (title IS NOT NULL) NOT VALID;")]) { DownState = DownState.Present, DownOperations = [new RawSqlChange("ALTER TABLE todo_items DROP CONSTRAINT title_not_null;")] },
            new MigrationDefinition("20260102000000_Validate", [new RawSqlChange("ALTER TABLE todo_items VALIDATE CONSTRAINT title_not_null;")]) { DownState = DownState.Present, DownOperations = [new OtherStatementChange("noop", false)] },
            new MigrationDefinition("20260103000000_SetNotNull", [
                new AlterColumnChange(Tasks, new ColumnDefinition("title") { StoreType = "text", IsNullable = false }, new ColumnDefinition("title") { StoreType = "text", IsNullable = true }),
                new RawSqlChange("ALTER TABLE todo_items DROP CONSTRAINT title_not_null;"),
            ]) { DownState = DownState.Present, DownOperations = [new OtherStatementChange("inverse", true)] },
        };

        new MigrationAnalyzer().AnalyzeAll(migrations).AssertClean();

        // Without the validation step the last migration is reported.
        new MigrationAnalyzer().AnalyzeAll([migrations[0], migrations[2]]).Single("SM1007");
    }

    [TestMethod]
    public void Only_a_column_becoming_not_null_needs_earlier_migrations()
    {
        Assert.IsTrue(SchemaHistory.MayMatterTo([new AlterColumnChange(Tasks, new ColumnDefinition("title") { IsNullable = false }, new ColumnDefinition("title") { IsNullable = true })]));
        Assert.IsTrue(SchemaHistory.MayMatterTo([new RawSqlChange("ALTER TABLE todo_items ALTER COLUMN title SET NOT NULL;")]));
        Assert.IsFalse(SchemaHistory.MayMatterTo([new CreateIndexChange("IX_due", Tasks, ["due_date"]), new RawSqlChange("SELECT 1;")]));
    }

    [TestMethod]
    public void The_concurrent_index_recipe_passes_clean()
    {
        UpSql("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_due ON todo_items (due_date);", suppressTransaction: true).AssertClean();
        Up(new CreateIndexChange("IX_due", Tasks, ["due_date"]) { Concurrently = true }).AssertClean();
    }

    [TestMethod]
    public void The_foreign_key_and_unique_recipes_pass_clean()
    {
        UpSql("ALTER TABLE todo_items ADD CONSTRAINT fk_owner FOREIGN KEY (owner_id) REFERENCES users (id) NOT VALID;").AssertClean();
        UpSql("ALTER TABLE todo_items VALIDATE CONSTRAINT fk_owner;").AssertClean();
        UpSql("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_email ON users (email);", suppressTransaction: true).AssertClean();
        UpSql("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX ix_email;").AssertClean();
    }

    [TestMethod]
    public void The_add_column_recipe_passes_clean()
    {
        Up(new AddColumnChange(Tasks, new ColumnDefinition("token") { StoreType = "uuid", IsNullable = true })).AssertClean();
        UpSql("ALTER TABLE todo_items ALTER COLUMN token SET DEFAULT gen_random_uuid();").AssertClean();
    }

    [TestMethod]
    public void Findings_from_sql_carry_the_statement_and_the_call_location()
    {
        var finding = UpSql("SELECT 1; ALTER TABLE todo_items DROP COLUMN notes;").Single("SM1011");
        Assert.AreEqual("ALTER TABLE todo_items DROP COLUMN notes", finding.Statement);
        Assert.AreEqual(12, finding.Location!.Line);
        Assert.AreEqual(new TableName("todo_items"), finding.Table);
    }
}
