using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;
using SafeMigrations.Core.Verify;

namespace SafeMigrations.Core.Tests.Verify;

[TestClass]
public sealed class VerifyJudgeTests
{
    private static readonly TableName Items = new("todo_items");

    private static ObservedStatement Statement(string sql, LockLevel level, double heldMs, params string[] rewritten) =>
        new("20260101_X", sql, InTransaction: true) { StartMs = 10, DurationMs = heldMs, HeldUntilMs = 10 + heldMs, Locks = [new ObservedLock(Items, level)], Rewritten = rewritten };

    [TestMethod]
    public void A_rewrite_is_SM4005_whatever_it_took_and_a_write_blocking_lock_only_beyond_the_budget()
    {
        var budget = TimeSpan.FromMilliseconds(500);
        var findings = VerifyJudge.Judge(
        [
            Statement("ALTER TABLE todo_items ALTER COLUMN priority TYPE bigint;", LockLevel.AccessExclusive, 3, "todo_items"),
            Statement("CREATE INDEX \"IX\" ON todo_items (title);", LockLevel.Share, 800),
            Statement("CREATE INDEX \"IX2\" ON todo_items (title);", LockLevel.Share, 200),
            Statement("CREATE INDEX CONCURRENTLY \"IX3\" ON todo_items (title);", LockLevel.ShareUpdateExclusive, 5000),
        ], roundTrip: null, budget);

        Assert.HasCount(2, findings);
        Assert.IsTrue(findings.All(f => f.RuleId == RuleIds.ObservedBlockingLock && f.Severity == Severity.Error && f.MigrationId == "20260101_X"));
        StringAssert.Contains(findings[0].Message, "rewrote todo_items");
        StringAssert.Contains(findings[1].Message, "held SHARE on todo_items for 800 ms, which blocks writes for that long. That is beyond the budget (500 ms)");

        // Each names the rule whose safe form avoids it, and the command that shows it.
        StringAssert.EndsWith(findings[0].Message, "use the safe form of SM1006 (dotnet safemig explain SM1006).");
        StringAssert.EndsWith(findings[1].Message, "use the safe form of SM1001 (dotnet safemig explain SM1001).");
        var unknown = VerifyJudge.Judge([Statement("LOCK TABLE todo_items IN SHARE MODE;", LockLevel.Share, 800)], null, budget).Single();
        StringAssert.EndsWith(unknown.Message, "(dotnet safemig explain SM4005).", "no rule knows a plain LOCK TABLE: SM4005's own page");
    }

    [TestMethod]
    public void Scaled_to_a_live_table_a_short_write_blocking_lock_on_the_shadow_is_SM4005_with_its_estimate()
    {
        var build = Statement("CREATE INDEX \"IX\" ON todo_items (title);", LockLevel.Share, 20);
        var seeded = new Dictionary<TableName, long> { [Items] = 10_000 };
        var live = new Dictionary<TableName, LiveTable> { [Items] = new(Items, 48_000_000, 6L << 30) };
        var impact = Impact.Of(build, seeded, live)!;

        Assert.AreEqual(20 * 4800, impact.EstimatedHeldMs, 0.001);
        Assert.AreEqual("locks todo_items (48 M rows, 6 GB): ~96 s under SHARE, which blocks writes", impact.Describe());
        Assert.IsEmpty(VerifyJudge.Judge([build], null, VerifyJudge.DefaultLockBudget), "20 ms on the shadow alone is within the budget");
        var finding = VerifyJudge.Judge([build with { Impact = impact }], null, VerifyJudge.DefaultLockBudget).Single();
        StringAssert.Contains(finding.Message, "On the live database it locks todo_items (48 M rows, 6 GB): ~96 s under SHARE");
        Assert.IsNull(Impact.Of(build, seeded, new Dictionary<TableName, LiveTable>()), "no live table, no estimate");
    }

    [TestMethod]
    public void A_Down_that_does_not_restore_the_schema_is_SM4006_naming_each_difference()
    {
        var restored = new RoundTrip([], [], null, null, []);
        var leaky = new RoundTrip(["column public.todo_items.priority integer not null"], ["index CREATE INDEX \"IX\" ON public.todo_items USING btree (title)"], null, null, []);

        Assert.IsEmpty(VerifyJudge.Judge([], restored, VerifyJudge.DefaultLockBudget));
        var finding = VerifyJudge.Judge([], leaky, VerifyJudge.DefaultLockBudget).Single();
        Assert.AreEqual(RuleIds.RollbackChangedSchema, finding.RuleId);
        StringAssert.Contains(finding.Message, "missing after Down: column public.todo_items.priority integer not null");
        StringAssert.Contains(finding.Message, "left by Down: index CREATE INDEX");
    }

    [TestMethod]
    public void The_claim_of_an_observed_statement_is_Core_s_lock_catalog()
    {
        var claims = new ObservedStatement("X", "ALTER TABLE todo_items ADD CONSTRAINT \"FK\" FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;", true).Claims();

        Assert.AreEqual(new ObservedLock(Items, LockLevel.ShareRowExclusive), claims.Single());
    }

    [TestMethod]
    public void The_verdict_holds_a_claim_to_the_lock_PostgreSQL_granted_on_each_claimed_table()
    {
        const string Index = "CREATE INDEX \"IX_due\" ON todo_items (due_date);";
        Assert.AreEqual(ClaimVerdict.AsClaimed, (new ObservedStatement("X", Index, true) { Locks = [new ObservedLock(Items, LockLevel.Share)] }).Verdict());
        Assert.AreEqual(ClaimVerdict.NotAsClaimed, (new ObservedStatement("X", Index, true) { Locks = [new ObservedLock(Items, LockLevel.AccessExclusive)] }).Verdict());
        Assert.AreEqual(ClaimVerdict.NothingToCompare, new ObservedStatement("X", Index, true).Verdict(), "inside a transaction: a new table, or a lock already held");
        Assert.AreEqual(ClaimVerdict.NotAsClaimed, new ObservedStatement("X", "CREATE INDEX CONCURRENTLY \"IX_due\" ON todo_items (due_date);", false).Verdict(), "outside one, a claimed lock never seen is a wrong claim");
        Assert.AreEqual(ClaimVerdict.NotAsClaimed, (new ObservedStatement("X", "SELECT 1;", true) { Locks = [new ObservedLock(Items, LockLevel.RowExclusive)] }).Verdict(), "claimed to lock nothing, it locked a table");
    }

    [TestMethod]
    public void Seeding_fills_parents_first_points_each_foreign_key_at_a_parent_row_and_leaves_automatic_columns_alone()
    {
        var users = new TableName("users");
        var tables = new Dictionary<TableName, IReadOnlyList<SeedColumn>>
        {
            [Items] =
            [
                new SeedColumn("id", "bigint", false, true, false, IsAutomatic: true, null, true),
                new SeedColumn("user_id", "bigint", false, true, false, false, (users, "id"), false),
                new SeedColumn("title", "character varying(5)", false, true, false, false, null, false),
                new SeedColumn("state", "state_kind", IsEnum: true, true, false, false, null, false),
            ],
            [users] = [new SeedColumn("id", "bigint", false, true, false, IsAutomatic: true, null, true), new SeedColumn("email", "text", false, true, false, false, null, true)],
        };

        CollectionAssert.AreEqual(new[] { users, Items }, SeedSql.Order(tables).ToList());
        var insert = SeedSql.Insert(Items, tables[Items], 100)!;
        Assert.DoesNotContain("\"id\",", insert);
        StringAssert.Contains(insert, "right('v' || g, 5)::character varying(5)");
        StringAssert.Contains(insert, "enum_first(NULL::state_kind)");
        StringAssert.Contains(insert, "p0.rn = (g - 1) % greatest((SELECT count(*) FROM \"users\"), 1) + 1");
        Assert.IsNull(SeedSql.Insert(users, [new SeedColumn("shape", "polygon", false, true, false, false, null, false)], 10), "no value is known for a NOT NULL polygon");
    }
}
