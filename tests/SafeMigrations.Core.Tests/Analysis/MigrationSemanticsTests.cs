using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Core.Tests.Analysis;

/// <summary>
/// What a migration means, decided once for the runner, the gate and the reports: its phase, what Down gives back,
/// what to count before it runs and what to back up; raw SQL judged like the operations it spells.
/// </summary>
[TestClass]
public sealed class MigrationSemanticsTests
{
    private static readonly TableName Users = new("users");
    private static readonly TableName Audit = new("audit_log");

    private static MigrationDefinition Migration(params SchemaChange[] up) => new("20260101000000_M", up);

    private static ColumnDefinition Column(string name, bool nullable, bool withDefault = false) =>
        new(name) { IsNullable = nullable, StoreType = "text", HasDefaultValue = withDefault, DefaultValue = withDefault ? "x" : null };

    [TestMethod]
    public void Contract_is_what_removes_or_tightens_what_the_previous_release_uses()
    {
        Assert.AreEqual(MigrationPhase.Expand, MigrationPhases.Of(Migration(new AddColumnChange(Users, Column("nickname", nullable: true)))));
        Assert.AreEqual(MigrationPhase.Expand, MigrationPhases.Of(Migration(new AddColumnChange(Users, Column("code", nullable: false, withDefault: true)))));
        Assert.AreEqual(MigrationPhase.Contract, MigrationPhases.Of(Migration(new AddColumnChange(Users, Column("code", nullable: false)))), "its inserts fail");
        Assert.AreEqual(MigrationPhase.Contract, MigrationPhases.Of(Migration(new DropColumnChange(Users, "legacy"))));
        Assert.AreEqual(MigrationPhase.Contract, MigrationPhases.Of(Migration(new AlterColumnChange(Users, Column("email", nullable: false), Column("email", nullable: true)))));
        Assert.AreEqual(MigrationPhase.Expand, MigrationPhases.Of(Migration(new AlterColumnChange(Users, Column("email", nullable: true), Column("email", nullable: false)))));
        Assert.AreEqual(MigrationPhase.Contract, MigrationPhases.Of(Migration(new RawSqlChange("ALTER TABLE users DROP COLUMN legacy;"))), "raw SQL, by its statements");
        Assert.AreEqual(MigrationPhase.Expand, MigrationPhases.Of(Migration(new CreateTableChange(Audit, [Column("id", nullable: false)]), new AddColumnChange(Audit, Column("code", nullable: false)))),
            "a table the migration creates has no previous release");
        Assert.AreEqual(MigrationPhase.Contract, MigrationPhases.Of(Migration(new AddColumnChange(Users, Column("nickname", nullable: true))) with { IsContractStep = true }));
        Assert.IsTrue(MigrationPhases.MayAffectPreviousRelease(Migration(new RawSqlChange("DO $$ BEGIN PERFORM 1; END $$;"))), "SQL the classifier cannot read may");
        Assert.IsFalse(MigrationPhases.MayAffectPreviousRelease(Migration(new AddColumnChange(Users, Column("nickname", nullable: true)))));
    }

    [TestMethod]
    public void Down_gives_back_what_Up_took_unless_it_cannot_run_or_leaves_a_structural_change_behind()
    {
        var add = new AddColumnChange(Users, Column("nickname", nullable: true));
        Assert.IsNull(Reversibility.WhyNot(Migration(add) with { DownState = DownState.Present, DownOperations = [new DropColumnChange(Users, "nickname")] }));
        StringAssert.Contains(Reversibility.WhyNot(Migration(add) with { DownState = DownState.Throws, DownFailure = "irreversible." }), "Down throws (irreversible)");
        StringAssert.Contains(Reversibility.WhyNot(Migration(add) with { DownState = DownState.Empty }), "has an empty Down");
        Assert.IsNull(Reversibility.WhyNot(Migration(new ValidateConstraintChange("ck_users_age", Users)) with { DownState = DownState.Empty }), "validating left nothing to undo");
        Assert.IsNull(Reversibility.WhyNot(Migration(new RawSqlChange("UPDATE users SET nickname = email WHERE nickname IS NULL;")) with { DownState = DownState.Empty }), "the values written stay valid");
        Assert.IsNull(Reversibility.WhyNot(Migration(new DropColumnChange(Users, "legacy")) with { DownState = DownState.Present }), "what data a rollback loses is Losses, counted by the runner");
    }

    [TestMethod]
    public void A_rollback_loses_what_Up_dropped_from_existing_tables_and_what_Down_drops()
    {
        var dropped = Reversibility.Losses(Migration(new DropColumnChange(Users, "legacy"), new CreateTableChange(Audit, []), new DropTableChange(Audit)) with { DownState = DownState.Present });
        Assert.HasCount(1, dropped, "a table the migration created held nothing");
        Assert.AreEqual(RollbackLossKind.DroppedByUp, dropped[0].Kind);
        Assert.AreEqual("column users.legacy", dropped[0].What);

        var added = Reversibility.Losses(Migration(new AddColumnChange(Users, Column("nickname", nullable: true)), new CreateTableChange(Audit, []))
            with { DownState = DownState.Present, DownOperations = [new DropColumnChange(Users, "nickname"), new DropTableChange(Audit)] });
        CollectionAssert.AreEqual(new[] { "column users.nickname", "table audit_log" }, added.Select(l => l.What).ToList());
        Assert.IsTrue(added.All(l => l.Kind == RollbackLossKind.DroppedByDown));

        var refilled = Reversibility.Losses(Migration(new DropColumnChange(Users, "notes")) with
        {
            DownState = DownState.Present,
            DownOperations = [new AddColumnChange(Users, Column("notes", nullable: true)), new RawSqlChange("UPDATE users SET notes = remarks WHERE notes IS NULL;")],
        });
        Assert.IsEmpty(refilled, "a contract's Down that copies the values back loses nothing");

        var said = Reversibility.Describe(added[0] with { MigrationId = "20260101000000_AddNickname" }, 300_000, "20260101000000_AddNickname_users_nickname_1");
        StringAssert.Contains(said, "Down drops column users.nickname, where 300,000 rows hold a value");
        StringAssert.Contains(said, "'dotnet safemig restore --migration AddNickname'");
    }

    [TestMethod]
    public void Prechecks_count_what_the_migration_is_about_to_forbid_on_tables_that_already_hold_rows()
    {
        var checks = Prechecks.For(Migration(
            new AlterColumnChange(Users, Column("email", nullable: false), Column("email", nullable: true)),
            new RawSqlChange("CREATE UNIQUE INDEX CONCURRENTLY ix_users_email ON users (email);"),
            new AddForeignKeyChange("fk_users_team", Users, ["team_id"], new TableName("teams")) { PrincipalColumns = ["id"] },
            new AddForeignKeyChange("fk_users_org", Users, ["org_id"], new TableName("orgs")) { PrincipalColumns = ["id"], NotValid = true },
            new CreateTableChange(Audit, [Column("id", nullable: true)]),
            new AlterColumnChange(Audit, Column("id", nullable: false), Column("id", nullable: true))));

        Assert.HasCount(3, checks);
        StringAssert.Contains(checks[0].Sql, "\"email\" IS NULL");
        StringAssert.Contains(checks[0].Problem, "have NULL in email, which becomes NOT NULL");
        StringAssert.Contains(checks[1].Sql, "HAVING count(*) > 1");
        StringAssert.Contains(checks[1].Problem, "unique index ix_users_email", "raw SQL is checked too");
        StringAssert.Contains(checks[2].Sql, "NOT EXISTS");
    }

    [TestMethod]
    public void What_a_migration_drops_from_tables_that_held_rows_is_backed_up()
    {
        var dropped = Backups.For(Migration(
            new DropColumnChange(Users, "legacy"),
            new RawSqlChange("DROP TABLE sessions;"),
            new CreateTableChange(Audit, []),
            new DropTableChange(Audit)));

        CollectionAssert.AreEqual(new[] { new DroppedData(Users, "legacy"), new DroppedData(new TableName("sessions"), null) }, dropped.ToArray());
    }

    [TestMethod]
    public void The_target_model_completes_what_the_operations_do_not_say_and_only_where_needed()
    {
        var facts = new Facts();
        var filled = new AddColumnChange(Users, new ColumnDefinition("active") { IsNullable = false, HasDefaultValue = true, DefaultValue = false, DefaultValueIsClrDefault = true });
        var retyped = new AlterColumnChange(Users, new ColumnDefinition("id") { StoreType = "bigint" }, new ColumnDefinition("id") { StoreType = "integer" });
        var plain = new AddColumnChange(Users, Column("nickname", nullable: true));

        var completed = TargetModelCompletion.Complete([filled, retyped, plain], facts);

        Assert.IsTrue(((AddColumnChange)completed[0]).Column.IsDefaultConfigured);
        Assert.IsTrue(((AlterColumnChange)completed[1]).IsKeyColumn);
        Assert.AreSame(plain, completed[2]);
        Assert.IsFalse(TargetModelCompletion.Needs(plain), "no model is read for a migration that does not need it");
    }

    [TestMethod]
    public void Statements_that_work_through_rows_beside_the_application_get_the_long_budgets()
    {
        Assert.IsTrue(LockCatalog.RunsBesideTheApplication(new CreateIndexChange("ix", Users, ["email"]) { Concurrently = true }));
        Assert.IsTrue(LockCatalog.RunsBesideTheApplication(new ValidateConstraintChange("ck", Users)));
        Assert.IsTrue(LockCatalog.RunsBesideTheApplication(new DataChange(DataChangeKind.Update, Users)));
        Assert.IsFalse(LockCatalog.RunsBesideTheApplication(new CreateIndexChange("ix", Users, ["email"])), "SHARE blocks writes");
        Assert.IsFalse(LockCatalog.RunsBesideTheApplication(new RenameIndexChange("ix", "ix2", Users)), "a rename is a moment");
        Assert.AreEqual(StatementKind.LongRunning, StatementKinds.Classify("CREATE INDEX CONCURRENTLY ix ON users (email)", insideTransaction: false));
        Assert.AreEqual(StatementKind.SchemaChange, StatementKinds.Classify("ALTER TABLE users ADD COLUMN x int", insideTransaction: true));
    }

    private sealed class Facts : ITargetModelFacts
    {
        public bool? IsKey(TableName table, string column) => column == "id";

        public bool? IsDefaultConfigured(TableName table, string column) => column == "active";
    }
}
