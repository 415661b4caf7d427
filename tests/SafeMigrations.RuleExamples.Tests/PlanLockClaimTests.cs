using Npgsql;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.RuleExamples.Tests;

/// <summary>
/// The lock `safemig plan` claims for statements no rule judges (catalog-only ALTER TABLE actions, LOCK TABLE,
/// REFRESH MATERIALIZED VIEW) equals the strongest lock PostgreSQL granted on the table, read from pg_locks
/// inside the statement's transaction.
/// </summary>
[TestClass]
public sealed class PlanLockClaimTests
{
    public static IEnumerable<object[]> Statements =>
    [
        ["ALTER TABLE todo_items ALTER COLUMN priority SET DEFAULT 1;", "todo_items"],
        ["ALTER TABLE todo_items ALTER COLUMN priority DROP DEFAULT;", "todo_items"],
        ["ALTER TABLE todo_items ALTER COLUMN title SET STATISTICS 500;", "todo_items"],
        ["ALTER TABLE todo_items ALTER COLUMN description SET STORAGE EXTERNAL;", "todo_items"],
        ["ALTER TABLE todo_items SET (fillfactor = 90);", "todo_items"],
        ["ALTER TABLE todo_items DISABLE TRIGGER ALL;", "todo_items"],
        ["ALTER TABLE todo_items REPLICA IDENTITY FULL;", "todo_items"],
        ["LOCK TABLE todo_items;", "todo_items"],
        ["LOCK TABLE todo_items IN SHARE MODE;", "todo_items"],
        ["LOCK todo_items IN ROW EXCLUSIVE MODE NOWAIT;", "todo_items"],
        ["REFRESH MATERIALIZED VIEW open_items;", "open_items"],
        ["REFRESH MATERIALIZED VIEW CONCURRENTLY open_items;", "open_items"],
    ];

    [TestMethod]
    [DynamicData(nameof(Statements))]
    public async Task The_claimed_lock_is_the_lock_postgres_takes(string sql, string table)
    {
        var planned = SqlPlan.Statements(sql, insideTransaction: true).Single();
        Assert.AreEqual(table, planned.Table?.Name, "the plan names the table the statement locks");

        var database = await FixtureDatabase.CreateAsync();
        try
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await ObservedMigration.ExecuteAsync(connection, null, "CREATE MATERIALIZED VIEW open_items AS SELECT id, title FROM todo_items WHERE NOT is_done; CREATE UNIQUE INDEX ON open_items (id);");
            await using var transaction = await connection.BeginTransactionAsync();
            await ObservedMigration.ExecuteAsync(connection, transaction, sql);
            await using var command = new NpgsqlCommand("SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND granted AND relation = @table::regclass", connection, transaction);
            command.Parameters.AddWithValue("table", table);
            var modes = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    modes.Add(reader.GetString(0));
                }
            }

            var observed = modes.Select(ObservedMigration.SqlNameOfMode).MaxBy(ObservedMigration.Strength);
            Assert.AreEqual(observed ?? "no", planned.Lock.SqlName(), $"plan claims {planned.Lock.SqlName()} for {sql}; PostgreSQL granted {string.Join(", ", modes)}");
        }
        finally
        {
            await FixtureDatabase.DropAsync(database);
        }
    }
}
