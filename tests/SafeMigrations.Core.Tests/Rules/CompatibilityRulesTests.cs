using SafeMigrations.Core.Model;
using static SafeMigrations.Core.Tests.Judge;

namespace SafeMigrations.Core.Tests.Rules;

[TestClass]
public sealed class RenameAndDropRulesTests
{
    [TestMethod]
    public void Renaming_a_column_names_the_old_column_and_the_mapping_fix()
    {
        var message = Up(new RenameColumnChange(Tasks, "title", "name")).Single("SM1009").Message;
        StringAssert.Contains(message, "HasColumnName(\"title\")");
        UpSql("ALTER TABLE todo_items RENAME COLUMN title TO name").Single("SM1009");
    }

    [TestMethod]
    public void Renaming_a_table_is_SM1010_also_through_set_schema()
    {
        Up(new RenameTableChange(Tasks, new TableName("tasks"))).Single("SM1010");
        UpSql("ALTER TABLE todo_items RENAME TO tasks").Single("SM1010");
        UpSql("ALTER TABLE todo_items SET SCHEMA archive").Single("SM1010");
    }

    [TestMethod]
    public void A_rename_whose_old_name_lives_on_in_the_same_migration_is_not_reported()
    {
        // A view with the old name over the renamed table: the previous release reads and writes through it.
        UpSql("ALTER TABLE todo_items RENAME TO tasks; CREATE VIEW todo_items AS SELECT * FROM tasks;").AssertNone("SM1010");
        // A swap: another table (or column) takes the old name in the same transaction.
        Assert.HasCount(1, Up(new RenameTableChange(Tasks, new TableName("todo_items_old")), new RenameTableChange(new TableName("todo_items_new"), Tasks)).Where(f => f.RuleId == "SM1010").ToList(),
            "only the rename of the copy into the old name is reported");
        Assert.HasCount(1, UpSql("ALTER TABLE todo_items RENAME COLUMN title TO title_old; ALTER TABLE todo_items RENAME COLUMN title_new TO title;").Where(f => f.RuleId == "SM1009").ToList());
        // A view created before the rename, or for another name, does not count.
        UpSql("CREATE VIEW todo_items_v AS SELECT 1; ALTER TABLE todo_items RENAME TO tasks;").Single("SM1010");
    }

    [TestMethod]
    public void Dropping_columns_and_tables_are_data_loss_errors()
    {
        Up(new DropColumnChange(Tasks, "description")).Single("SM1011");
        UpSql("ALTER TABLE todo_items DROP COLUMN IF EXISTS description").Single("SM1011");
        StringAssert.Contains(Up(new DropTableChange(Tasks)).Single("SM1012").Message, "reference it");
        var findings = UpSql("DROP TABLE IF EXISTS a, b CASCADE");
        Assert.HasCount(2, findings.Where(f => f.RuleId == "SM1012"));
    }

    [TestMethod]
    public void Objects_created_in_the_same_migration_can_be_renamed_and_dropped()
    {
        var findings = Up(
            NewTable(new TableName("scratch")),
            new RenameColumnChange(new TableName("scratch"), "id", "key"),
            new RenameTableChange(new TableName("scratch"), new TableName("scratch2")),
            new DropColumnChange(new TableName("scratch2"), "key"),
            new DropTableChange(new TableName("scratch2")));
        findings.AssertClean();
    }
}

[TestClass]
public sealed class ConstraintRulesTests
{
    [TestMethod]
    public void Foreign_keys_validated_at_once_lock_both_tables()
    {
        var finding = Up(new AddForeignKeyChange("FK_owner", Tasks, ["owner_id"], Users)).Single("SM1013");
        StringAssert.Contains(finding.Message, "SHARE ROW EXCLUSIVE");
        StringAssert.Contains(finding.Message, "\"users\"");
        UpSql("ALTER TABLE todo_items ADD CONSTRAINT fk FOREIGN KEY (owner_id) REFERENCES users (id) NOT VALID").AssertNone("SM1013");
        UpSql("ALTER TABLE todo_items ADD COLUMN reviewer_id bigint REFERENCES users(id) ON DELETE SET NULL").Single("SM1013");
    }

    [TestMethod]
    public void Check_constraints_need_not_valid_on_existing_tables()
    {
        Up(new AddCheckConstraintChange("CK_title", Tasks, "length(title) > 0")).Single("SM1014");
        UpSql("ALTER TABLE todo_items ADD CONSTRAINT ck CHECK (length(title) > 0) NOT VALID").AssertClean();
        UpSql("ALTER TABLE todo_items VALIDATE CONSTRAINT ck").AssertClean();
    }

    [TestMethod]
    public void Unique_constraints_and_unique_indexes_need_a_concurrent_build()
    {
        Up(new AddUniqueConstraintChange("AK_email", Users, ["email"])).Single("SM1015");
        var uniqueIndex = Up(new CreateIndexChange("IX_email", Users, ["email"]) { IsUnique = true });
        uniqueIndex.Single("SM1015");
        uniqueIndex.AssertNone("SM1001");
        UpSql("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX ix_email").AssertNone("SM1015");
    }

    [TestMethod]
    public void Primary_keys_on_existing_tables_need_using_index()
    {
        Up(new AddPrimaryKeyChange("PK_t", Tasks, ["id"])).Single("SM1016");
        UpSql("ALTER TABLE todo_items ADD CONSTRAINT pk PRIMARY KEY USING INDEX ix_id").AssertNone("SM1016");
    }

    [TestMethod]
    public void Exclusion_constraints_on_existing_tables_are_errors()
    {
        UpSql("ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&)").Single("SM1030");
    }

    [TestMethod]
    public void Domain_check_constraints_warn()
    {
        UpSql("CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0)").Single("SM1028");
        UpSql("ALTER DOMAIN positive_int ADD CONSTRAINT c CHECK (VALUE < 100)").Single("SM1028");
        UpSql("CREATE DOMAIN email AS text").AssertNone("SM1028");
    }
}

[TestClass]
public sealed class DataAndSqlRulesTests
{
    [TestMethod]
    public void A_backfill_with_a_schema_change_on_an_existing_table_warns()
    {
        var findings = Up(
            new AddColumnChange(Tasks, new ColumnDefinition("rank") { StoreType = "integer", IsNullable = true }),
            new RawSqlChange("UPDATE todo_items SET rank = 1 WHERE rank IS NULL"));
        Assert.AreEqual(Core.Rules.Severity.Warning, findings.Single("SM1017").Severity);
    }

    [TestMethod]
    public void A_backfill_alone_seed_inserts_and_new_tables_are_fine()
    {
        UpSql("UPDATE todo_items SET rank = 1 WHERE rank IS NULL").AssertNone("SM1017");
        Up(new AddColumnChange(Tasks, new ColumnDefinition("rank") { IsNullable = true }), new DataChange(DataChangeKind.Insert, Tasks)).AssertNone("SM1017");
        Up(NewTable(new TableName("n")), new DataChange(DataChangeKind.Update, new TableName("n"))).AssertNone("SM1017");
    }

    [TestMethod]
    public void Unanalyzable_sql_is_reported_once_per_call_as_information()
    {
        var findings = UpSql("DO $$ BEGIN PERFORM 1; END $$; CALL refresh_all(); ANALYZE todo_items;");
        var finding = findings.Single("SM1018");
        Assert.AreEqual(Core.Rules.Severity.Info, finding.Severity);
        StringAssert.Contains(finding.Message, "DO block");
        Up(new RawSqlChange("") { IsKnown = false }).Single("SM1018");
    }

    [TestMethod]
    public void Transaction_control_in_sql_is_an_error()
    {
        UpSql("BEGIN; UPDATE users SET is_active = true; COMMIT;").Where(f => f.RuleId == "SM1029").Should(2);
    }

    [TestMethod]
    public void Non_transactional_sql_must_be_rerunnable()
    {
        StringAssert.Contains(UpSql("CREATE INDEX CONCURRENTLY ix ON todo_items (title)", suppressTransaction: true).Single("SM1031").Message, "IF NOT EXISTS");
        StringAssert.Contains(UpSql("DROP INDEX CONCURRENTLY ix", suppressTransaction: true).Single("SM1031").Message, "IF EXISTS");
    }

    [TestMethod]
    public void Maintenance_statements_warn_with_their_lock()
    {
        foreach (var sql in new[] { "TRUNCATE todo_items CASCADE", "VACUUM FULL todo_items", "CLUSTER todo_items USING ix", "REINDEX TABLE todo_items", "ALTER TABLE todo_items SET TABLESPACE fast", "ALTER TABLE todo_items SET LOGGED", "ALTER TABLE events DETACH PARTITION events_2020", "DROP DATABASE legacy", "DROP SCHEMA archive CASCADE", "ALTER SCHEMA app RENAME TO application" })
        {
            UpSql(sql).Single("SM1026");
        }

        foreach (var sql in new[] { "REINDEX TABLE CONCURRENTLY todo_items", "ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY", "VACUUM todo_items", "CREATE SCHEMA IF NOT EXISTS app" })
        {
            UpSql(sql, suppressTransaction: true).AssertNone("SM1026");
        }
    }
}

internal static class FindingCounts
{
    public static void Should(this IEnumerable<Core.Rules.Finding> findings, int count) => Assert.HasCount(count, findings.ToList());
}
