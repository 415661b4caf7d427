using Microsoft.EntityFrameworkCore;
using SafeMigrations.Testing;
using Todo.Backend.Data;

namespace Todo.Backend.Tests;

[TestClass]
public sealed class SeederTests
{
    private static string connectionString = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task CreateDatabase(TestContext context)
    {
        connectionString = await SharedPostgres.CreateDatabaseAsync("seeder");
        await using var db = TodoDatabase.CreateContext(connectionString);
        await db.Database.MigrateAsync(context.CancellationToken);
    }

    [ClassCleanup]
    public static async Task DropDatabase() => await SharedPostgres.DropDatabaseAsync(connectionString);

    [TestInitialize]
    public async Task EmptyTables()
    {
        await using var db = TodoDatabase.CreateContext(connectionString);
        await db.Database.ExecuteSqlRawAsync("TRUNCATE todo_items, users RESTART IDENTITY", TestContext.CancellationToken);
    }

    [TestMethod]
    public async Task Seeding_twice_adds_nothing_the_second_time()
    {
        await using (var db = TodoDatabase.CreateContext(connectionString))
        {
            var first = await new TodoSeeder(db).SeedAsync("first-password", TestContext.CancellationToken);
            Assert.AreEqual(new TodoSeeder.Result(1, TodoSeeder.StarterTasks.Count), first);
        }

        await using (var db = TodoDatabase.CreateContext(connectionString))
        {
            var second = await new TodoSeeder(db).SeedAsync("other-password", TestContext.CancellationToken);
            Assert.AreEqual(new TodoSeeder.Result(0, 0), second);
            Assert.AreEqual(1, await db.Users.CountAsync(TestContext.CancellationToken));
            Assert.AreEqual(TodoSeeder.StarterTasks.Count, await db.TodoItems.CountAsync(TestContext.CancellationToken));
            var admin = await db.Users.SingleAsync(TestContext.CancellationToken);
            Assert.IsTrue(PasswordHasher.Verify("first-password", admin.HashedPassword), "an existing user's password is left alone");
        }
    }

    [TestMethod]
    public async Task Seeding_restores_only_what_is_missing()
    {
        await using (var db = TodoDatabase.CreateContext(connectionString))
        {
            await new TodoSeeder(db).SeedAsync("pw-123456", TestContext.CancellationToken);
            await db.TodoItems.Where(t => t.Title == TodoSeeder.StarterTasks[0].Title).ExecuteDeleteAsync(TestContext.CancellationToken);
        }

        await using (var db = TodoDatabase.CreateContext(connectionString))
        {
            var result = await new TodoSeeder(db).SeedAsync("pw-123456", TestContext.CancellationToken);
            Assert.AreEqual(new TodoSeeder.Result(0, 1), result);
            Assert.AreEqual(TodoSeeder.StarterTasks.Count, await db.TodoItems.CountAsync(TestContext.CancellationToken));
        }
    }

    [TestMethod]
    public async Task Concurrent_seeders_do_not_duplicate_rows()
    {
        async Task SeedOnceAsync()
        {
            await using var db = TodoDatabase.CreateContext(connectionString);
            await new TodoSeeder(db).SeedAsync("pw-123456", TestContext.CancellationToken);
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(SeedOnceAsync)));

        await using var check = TodoDatabase.CreateContext(connectionString);
        Assert.AreEqual(1, await check.Users.CountAsync(TestContext.CancellationToken));
        Assert.AreEqual(TodoSeeder.StarterTasks.Count, await check.TodoItems.CountAsync(TestContext.CancellationToken));
    }

    [TestMethod]
    public void Password_hashes_verify_only_the_right_password()
    {
        var hash = PasswordHasher.Hash("correct horse");
        Assert.IsTrue(PasswordHasher.Verify("correct horse", hash));
        Assert.IsFalse(PasswordHasher.Verify("wrong horse", hash));
        Assert.AreNotEqual(hash, PasswordHasher.Hash("correct horse"), "salted");
        Assert.IsFalse(PasswordHasher.Verify("x", "not-a-hash"));
    }
}
