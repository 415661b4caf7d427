using Npgsql;

namespace SafeMigrations.RuleExamples.Tests;

/// <summary>
/// Claims the rule messages make about PostgreSQL beyond what a page's violating example shows, each
/// checked on a populated copy of the fixture.
/// </summary>
[TestClass]
public sealed class MessageClaimTests
{
    [TestMethod]
    public async Task Sm1006_timestamp_to_timestamptz_needs_no_rewrite_only_in_a_utc_session()
    {
        await WithFixtureAsync(async connection =>
        {
            await ExecuteAsync(connection, "ALTER TABLE todo_items ADD COLUMN created_local timestamp without time zone; UPDATE todo_items SET created_local = timestamp '2026-06-01 12:00:00';");
            var before = await FileNodeAsync(connection, "todo_items");
            await ExecuteAsync(connection, "SET TIME ZONE 'UTC'; ALTER TABLE todo_items ALTER COLUMN created_local TYPE timestamp with time zone;");
            Assert.AreEqual(before, await FileNodeAsync(connection, "todo_items"), "in UTC the change is catalog-only");

            await ExecuteAsync(connection, "ALTER TABLE todo_items ADD COLUMN updated_local timestamp without time zone; UPDATE todo_items SET updated_local = timestamp '2026-06-01 12:00:00';");
            before = await FileNodeAsync(connection, "todo_items");
            await ExecuteAsync(connection, "SET TIME ZONE 'Europe/Paris'; ALTER TABLE todo_items ALTER COLUMN updated_local TYPE timestamp with time zone;");
            Assert.AreNotEqual(before, await FileNodeAsync(connection, "todo_items"), "in another time zone the table is rewritten");
            Assert.AreEqual("2026-06-01 10:00:00+00", await ScalarAsync<string>(connection, "SET TIME ZONE 'UTC'; SELECT min(updated_local)::text FROM todo_items"), "values were read as Paris time");
        });
    }

    [TestMethod]
    public async Task Sm1006_a_collation_change_rebuilds_the_indexes_on_the_column_not_the_table()
    {
        await WithFixtureAsync(async connection =>
        {
            await ExecuteAsync(connection, "CREATE INDEX \"IX_todo_items_title\" ON todo_items (title);");
            var table = await FileNodeAsync(connection, "todo_items");
            var index = await FileNodeAsync(connection, "\"IX_todo_items_title\"");
            await ExecuteAsync(connection, "ALTER TABLE todo_items ALTER COLUMN title TYPE character varying(200) COLLATE \"C\";");
            Assert.AreEqual(table, await FileNodeAsync(connection, "todo_items"));
            Assert.AreNotEqual(index, await FileNodeAsync(connection, "\"IX_todo_items_title\""));
        });
    }

    [TestMethod]
    public async Task Sm1015_and_sm1031_a_failed_concurrent_build_leaves_an_invalid_index_that_if_not_exists_keeps()
    {
        await WithFixtureAsync(async connection =>
        {
            var failed = await Assert.ThrowsExactlyAsync<PostgresException>(() => ExecuteAsync(connection, "CREATE UNIQUE INDEX CONCURRENTLY \"IX_todo_items_category\" ON todo_items (category);"));
            Assert.AreEqual(PostgresErrorCodes.UniqueViolation, failed.SqlState);
            Assert.IsFalse(await ScalarAsync<bool>(connection, "SELECT indisvalid FROM pg_index WHERE indexrelid = '\"IX_todo_items_category\"'::regclass"));

            var retried = await Assert.ThrowsExactlyAsync<PostgresException>(() => ExecuteAsync(connection, "CREATE UNIQUE INDEX CONCURRENTLY \"IX_todo_items_category\" ON todo_items (category);"));
            Assert.AreEqual(PostgresErrorCodes.DuplicateTable, retried.SqlState, "without IF NOT EXISTS the retry fails: already exists");

            await ExecuteAsync(connection, "UPDATE todo_items SET category = 'c' || id;");
            await ExecuteAsync(connection, "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"IX_todo_items_category\" ON todo_items (category);");
            Assert.IsFalse(await ScalarAsync<bool>(connection, "SELECT indisvalid FROM pg_index WHERE indexrelid = '\"IX_todo_items_category\"'::regclass"), "IF NOT EXISTS keeps the invalid index");

            await ExecuteAsync(connection, "DROP INDEX CONCURRENTLY IF EXISTS \"IX_todo_items_category\";");
            await ExecuteAsync(connection, "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"IX_todo_items_category\" ON todo_items (category);");
            Assert.IsTrue(await ScalarAsync<bool>(connection, "SELECT indisvalid FROM pg_index WHERE indexrelid = '\"IX_todo_items_category\"'::regclass"), "dropped first, the retry builds a valid index");
        });
    }

    [TestMethod]
    public async Task Sm1003_concurrently_inside_the_migration_transaction_is_rejected()
    {
        await WithFixtureAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync();
            var rejected = await Assert.ThrowsExactlyAsync<PostgresException>(() => ExecuteAsync(connection, "CREATE INDEX CONCURRENTLY \"IX_todo_items_due_at\" ON todo_items (due_at);", transaction));
            Assert.AreEqual(PostgresErrorCodes.ActiveSqlTransaction, rejected.SqlState);
        });
    }

    [TestMethod]
    public async Task Sm1023_long_names_are_truncated_consistently_and_collide_on_their_first_63_bytes()
    {
        var longName = "ix_todo_items_" + new string('a', 60) + "_first";
        var sibling = "ix_todo_items_" + new string('a', 60) + "_second";
        await WithFixtureAsync(async connection =>
        {
            await ExecuteAsync(connection, $"CREATE INDEX \"{longName}\" ON todo_items (priority);");
            Assert.AreEqual(Core.Postgres.PostgresIdentifiers.Truncate(longName), await ScalarAsync<string>(connection, "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'todo_items'::regclass AND indexrelid::regclass::text LIKE 'ix_todo_items_aaa%'"));
            var collision = await Assert.ThrowsExactlyAsync<PostgresException>(() => ExecuteAsync(connection, $"CREATE INDEX \"{sibling}\" ON todo_items (is_done);"));
            Assert.AreEqual(PostgresErrorCodes.DuplicateTable, collision.SqlState);
            await ExecuteAsync(connection, $"DROP INDEX \"{longName}\";"); // EF's later DropIndex with the long name works
        });
    }

    [TestMethod]
    public async Task Sm1022_a_renamed_enum_value_breaks_writes_of_the_previous_release()
    {
        await WithFixtureAsync(async connection =>
        {
            await ExecuteAsync(connection, "CREATE TYPE task_status AS ENUM ('open', 'done'); ALTER TABLE todo_items ADD COLUMN status task_status NOT NULL DEFAULT 'open';");
            await ExecuteAsync(connection, "ALTER TYPE task_status RENAME VALUE 'done' TO 'completed';");
            var write = await Assert.ThrowsExactlyAsync<PostgresException>(() => ExecuteAsync(connection, "UPDATE todo_items SET status = 'done' WHERE id = 1;"));
            Assert.AreEqual(PostgresErrorCodes.InvalidTextRepresentation, write.SqlState);
        });
    }

    [TestMethod]
    public async Task Sm1028_validating_a_domain_constraint_holds_share_on_the_tables_using_it()
    {
        await WithFixtureAsync(async connection =>
        {
            await ExecuteAsync(connection, "CREATE DOMAIN task_priority AS integer; ALTER TABLE todo_items ALTER COLUMN priority TYPE task_priority;");
            await ExecuteAsync(connection, "ALTER DOMAIN task_priority ADD CONSTRAINT task_priority_non_negative CHECK (VALUE >= 0) NOT VALID;");
            await using var transaction = await connection.BeginTransactionAsync();
            await ExecuteAsync(connection, "ALTER DOMAIN task_priority VALIDATE CONSTRAINT task_priority_non_negative;", transaction);
            var mode = await ScalarAsync<string>(connection, "SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND relation = 'todo_items'::regclass ORDER BY mode LIMIT 1", transaction);
            Assert.AreEqual("ShareLock", mode, "unlike a table's VALIDATE (SHARE UPDATE EXCLUSIVE), it blocks writes");
        });
    }

    private static async Task WithFixtureAsync(Func<NpgsqlConnection, Task> test)
    {
        var database = await FixtureDatabase.CreateAsync();
        try
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await test(connection);
        }
        finally
        {
            await FixtureDatabase.DropAsync(database);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null) =>
        await ObservedMigration.ExecuteAsync(connection, transaction, sql);

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static Task<long> FileNodeAsync(NpgsqlConnection connection, string relation) =>
        ScalarAsync<long>(connection, $"SELECT pg_relation_filenode('{relation.Replace("'", "''", StringComparison.Ordinal)}'::regclass)::bigint");
}
