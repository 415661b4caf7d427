using Npgsql;
using SafeMigrations.EmbeddedPostgres;
using SafeMigrations.Testing;

namespace SafeMigrations.Runtime.Tests;

/// <summary>verify's shadow from a production-like database: its schema through pg_dump, a sample of its rows that keeps every foreign key whole.</summary>
[TestClass]
public sealed class ShadowDatabaseTests
{
    private const string Schema = """
        CREATE TABLE owners (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, upper_name text GENERATED ALWAYS AS (upper(name)) STORED);
        CREATE TABLE tasks (id bigserial PRIMARY KEY, owner_id integer NOT NULL REFERENCES owners (id), parent_id bigint REFERENCES tasks (id), title text NOT NULL, due timestamptz, tags text[]);
        """;

    [TestMethod]
    public async Task A_sample_keeps_only_rows_whose_parents_it_copied_and_moves_the_sequences_past_them()
    {
        var source = await SharedPostgres.CreateDatabaseAsync("shadow-sample-source");
        var shadow = await SharedPostgres.CreateDatabaseAsync("shadow-sample");
        {
            // Owners 1…100; each task's owner is spread over all of them, every third task a child of the one before.
            await ExecuteAsync(source, Schema + """
                INSERT INTO owners (name) SELECT 'owner ' || g FROM generate_series(1, 100) g;
                INSERT INTO tasks (owner_id, parent_id, title, due, tags)
                SELECT 1 + (g * 37) % 100, CASE WHEN g % 3 = 0 THEN g - 1 END, 'task ''' || g || '''', now() + g * interval '1 hour', ARRAY['a', 'b,' || g] FROM generate_series(1, 1000) g;
                """);
        }

        await ExecuteAsync(shadow, Schema);
        await using var from = new NpgsqlConnection(source);
        await using var into = new NpgsqlConnection(shadow);
        await from.OpenAsync(TestContext.CancellationToken);
        await into.OpenAsync(TestContext.CancellationToken);

        var (copied, notes) = await ShadowDatabase.CopySampleAsync(from, into, 40, TestContext.CancellationToken);

        Assert.IsEmpty(notes, string.Join("\n", notes));
        Assert.AreEqual(40L, copied.Single(c => c.Key.Name == "owners").Value);
        var tasks = copied.Single(c => c.Key.Name == "tasks").Value;
        Assert.AreEqual(tasks, await ScalarAsync<long>(shadow, "SELECT count(*) FROM tasks"));
        Assert.IsTrue(tasks is > 0 and < 40, $"{tasks}: only the first 40 tasks whose owner is among the first 40 owners (and whose parent task came too)");
        Assert.AreEqual(0L, await ScalarAsync<long>(shadow, "SELECT count(*) FROM tasks t WHERE NOT EXISTS (SELECT FROM owners o WHERE o.id = t.owner_id) OR (t.parent_id IS NOT NULL AND NOT EXISTS (SELECT FROM tasks p WHERE p.id = t.parent_id))"));
        const string Rows = "SELECT string_agg(format('%s|%s|%s|%s|%s', id, owner_id, title, due, tags), ';' ORDER BY id) FROM tasks";
        var ids = await ScalarAsync<string>(shadow, "SELECT string_agg(id::text, ',') FROM tasks");
        Assert.AreEqual(
            await ScalarAsync<string>(source, Rows + $" WHERE id IN ({ids})"),
            await ScalarAsync<string>(shadow, Rows),
            "values arrive as they were: quotes, timestamps, arrays");
        Assert.AreEqual("OWNER 7", await ScalarAsync<string>(shadow, "SELECT upper_name FROM owners WHERE id = 7"), "generated columns are computed, not copied");

        // New rows take keys after the copied ones (identity and serial alike).
        Assert.AreEqual(41, await ScalarAsync<int>(shadow, "INSERT INTO owners (name) VALUES ('new') RETURNING id"));
        Assert.IsGreaterThan(await ScalarAsync<long>(shadow, "SELECT max(id) FROM tasks WHERE title <> 'new'"), await ScalarAsync<long>(shadow, "INSERT INTO tasks (owner_id, title) VALUES (1, 'new') RETURNING id"));
    }

    [TestMethod]
    public async Task The_schema_copy_is_what_the_source_really_has_without_the_runners_own_schemas()
    {
        var source = await SharedPostgres.CreateDatabaseAsync("shadow-schema-source");
        var shadow = await SharedPostgres.CreateDatabaseAsync("shadow-schema");
        {
            await ExecuteAsync(source, Schema + """
                CREATE INDEX made_by_hand ON tasks (due) WHERE due IS NOT NULL;
                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.due := coalesce(NEW.due, now()); RETURN NEW; END $$;
                CREATE TRIGGER tasks_touch BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION touch();
                CREATE SCHEMA safemigrations_backup_1; CREATE TABLE safemigrations_backup_1.saved (id int);
                INSERT INTO owners (name) VALUES ('data stays behind');
                """);
        }

        await ShadowDatabase.CopySchemaAsync(PostgresBinaries.Locate().PgDump, source, shadow, TestContext.CancellationToken);

        Assert.AreEqual(1L, await ScalarAsync<long>(shadow, "SELECT count(*) FROM pg_indexes WHERE indexname = 'made_by_hand'"));
        Assert.AreEqual(1L, await ScalarAsync<long>(shadow, "SELECT count(*) FROM pg_trigger WHERE tgname = 'tasks_touch'"), "a function body with dollar quotes survives");
        Assert.AreEqual(0L, await ScalarAsync<long>(shadow, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'safemigrations%'"));
        Assert.AreEqual(0L, await ScalarAsync<long>(shadow, "SELECT count(*) FROM owners"), "the schema only");
        Assert.AreEqual("public", await ScalarAsync<string>(shadow, "SELECT current_schema()"), "the dump's session settings stay in its own connection");
    }

    public TestContext TestContext { get; set; } = null!;

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
