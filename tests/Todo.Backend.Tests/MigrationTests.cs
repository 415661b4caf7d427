using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using SafeMigrations.Testing;

namespace Todo.Backend.Tests;

[TestClass]
public sealed class MigrationTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task All_migrations_apply_to_an_empty_database_and_match_the_model()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("migrations_apply");
        try
        {
            await using var db = TodoDatabase.CreateContext(connectionString);
            var all = db.Database.GetMigrations().ToList();
            Assert.IsGreaterThanOrEqualTo(4, all.Count, "the reference app ships an initial migration and follow-ups");

            await db.Database.MigrateAsync(TestContext.CancellationToken);

            CollectionAssert.AreEqual(all, (await db.Database.GetAppliedMigrationsAsync(TestContext.CancellationToken)).ToList());
            Assert.IsFalse(db.Database.HasPendingModelChanges(), "the snapshot matches the entity classes");
            CollectionAssert.AreEqual(new[] { "__EFMigrationsHistory", "todo_items", "users" }, (await TodoDatabase.TablesAsync(connectionString)).ToList());
            var schema = await TodoDatabase.DescribeSchemaAsync(connectionString);
            CollectionAssert.Contains(schema.ToList(), "column todo_items.priority integer nullable=NO default=2 identity=NO");
            CollectionAssert.Contains(schema.ToList(), "column users.email character varying(255) nullable=NO default=- identity=NO");
            Assert.IsTrue(schema.Any(line => line.StartsWith("index CREATE UNIQUE INDEX \"IX_users_email\"", StringComparison.Ordinal)));
            Assert.IsTrue(schema.Any(line => line.Contains("FOREIGN KEY (owner_id) REFERENCES users(id) ON DELETE CASCADE", StringComparison.Ordinal)));

            // The concurrently built index must be valid (a failed CONCURRENTLY build leaves an invalid one).
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(TestContext.CancellationToken);
            await using var command = new NpgsqlCommand("SELECT indisvalid FROM pg_index WHERE indexrelid = '\"IX_todo_items_due_date\"'::regclass", connection);
            Assert.IsTrue((bool)(await command.ExecuteScalarAsync(TestContext.CancellationToken))!);
        }
        finally
        {
            await SharedPostgres.DropDatabaseAsync(connectionString);
        }
    }

    [TestMethod]
    public async Task Each_Down_restores_the_schema_its_Up_started_from_and_zero_leaves_no_tables()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("migrations_down");
        try
        {
            await using var db = TodoDatabase.CreateContext(connectionString);
            var migrator = db.GetService<IMigrator>();
            var migrations = db.Database.GetMigrations().ToList();
            var schemaBefore = new List<IReadOnlyList<string>>();
            foreach (var migration in migrations)
            {
                schemaBefore.Add(await TodoDatabase.DescribeSchemaAsync(connectionString));
                await migrator.MigrateAsync(migration, TestContext.CancellationToken);
            }

            for (var index = migrations.Count - 1; index >= 0; index--)
            {
                var target = index == 0 ? Migration.InitialDatabase : migrations[index - 1];
                await migrator.MigrateAsync(target, TestContext.CancellationToken);
                CollectionAssert.AreEqual(
                    schemaBefore[index].ToList(),
                    (await TodoDatabase.DescribeSchemaAsync(connectionString)).ToList(),
                    $"Down of {migrations[index]} restores the schema before its Up");
            }

            CollectionAssert.AreEqual(new[] { "__EFMigrationsHistory" }, (await TodoDatabase.TablesAsync(connectionString)).ToList());
            Assert.IsEmpty((await db.Database.GetAppliedMigrationsAsync(TestContext.CancellationToken)).ToList());
        }
        finally
        {
            await SharedPostgres.DropDatabaseAsync(connectionString);
        }
    }
}
