using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using static SafeMigrations.Core.Tests.Judge;

namespace SafeMigrations.Core.Tests.Rules;

[TestClass]
public sealed class NonConcurrentIndexRuleTests
{
    [TestMethod]
    public void A_plain_index_on_an_existing_table_is_an_error_naming_table_and_lock()
    {
        var finding = Up(new CreateIndexChange("IX_due", Tasks, ["due_date"]) { Location = new SourceLocation("M.cs", 9, 13) }).Single("SM1001");

        Assert.AreEqual(Core.Rules.Severity.Error, finding.Severity);
        StringAssert.Contains(finding.Message, "\"todo_items\"");
        StringAssert.Contains(finding.Message, "SHARE (blocks writes)");
        Assert.AreEqual(LockLevel.Share, finding.Lock);
        Assert.AreEqual(9, finding.Location!.Line);
    }

    [TestMethod]
    public void Concurrent_indexes_and_indexes_on_tables_created_earlier_in_the_migration_are_fine()
    {
        Up(new CreateIndexChange("IX_due", Tasks, ["due_date"]) { Concurrently = true }).AssertNone("SM1001");
        Up(NewTable(Tasks), new CreateIndexChange("IX_due", Tasks, ["due_date"])).AssertNone("SM1001");
    }

    [TestMethod]
    public void An_index_created_before_its_table_in_the_same_migration_is_still_judged()
    {
        Up(new CreateIndexChange("IX_due", Tasks, ["due_date"]), NewTable(Tasks)).Single("SM1001");
    }

    [TestMethod]
    public void Raw_sql_indexes_are_judged_the_same_way()
    {
        UpSql("CREATE INDEX ix_title ON todo_items (title);").Single("SM1001");
        UpSql("CREATE TABLE t (id bigint); CREATE INDEX ix_t ON t (id);").AssertNone("SM1001");
    }
}

[TestClass]
public sealed class NonConcurrentDropIndexRuleTests
{
    [TestMethod]
    public void Dropping_an_index_without_concurrently_warns_with_access_exclusive()
    {
        var finding = Up(new DropIndexChange("IX_owner", Tasks)).Single("SM1002");
        Assert.AreEqual(Core.Rules.Severity.Warning, finding.Severity);
        StringAssert.Contains(finding.Message, "ACCESS EXCLUSIVE");
    }

    [TestMethod]
    public void Concurrent_drops_and_drops_of_indexes_or_tables_created_in_the_migration_are_fine()
    {
        UpSql("DROP INDEX CONCURRENTLY IF EXISTS ix_owner;", suppressTransaction: true).AssertNone("SM1002");
        Up(new CreateIndexChange("IX_tmp", Tasks, ["a"]) { Concurrently = true }, new DropIndexChange("IX_tmp", Tasks)).AssertNone("SM1002");
        Up(NewTable(Tasks), new DropIndexChange("IX_x", Tasks)).AssertNone("SM1002");
    }
}

[TestClass]
public sealed class NonTransactionalOperationNotAloneRuleTests
{
    [TestMethod]
    public void A_concurrent_index_with_other_operations_is_an_error()
    {
        var findings = Up(
            new DropIndexChange("IX_owner", Tasks),
            new CreateIndexChange("IX_owner_done", Tasks, ["owner_id", "completed"]) { Concurrently = true });
        StringAssert.Contains(findings.Single("SM1003").Message, "1 other operation");
    }

    [TestMethod]
    public void A_concurrent_index_alone_is_fine()
    {
        Up(new CreateIndexChange("IX_due", Tasks, ["due_date"]) { Concurrently = true }).AssertClean();
    }

    [TestMethod]
    public void Concurrently_inside_the_migration_transaction_is_an_error()
    {
        StringAssert.Contains(UpSql("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON todo_items (title)").Single("SM1003").Message, "suppressTransaction: true");
    }

    [TestMethod]
    public void Concurrently_sharing_a_suppressed_sql_call_with_other_statements_is_an_error()
    {
        UpSql("SET lock_timeout = '2s'; CREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON todo_items (title);", suppressTransaction: true).Single("SM1003");
        UpSql("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON todo_items (title);", suppressTransaction: true).AssertClean();
    }
}
