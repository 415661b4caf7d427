using Npgsql;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Testing;

namespace SafeMigrations.EmbeddedPostgres.Tests;

[TestClass]
public sealed class PostgresServerTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Created_databases_are_empty_distinct_and_dropped_with_an_external_server()
    {
        // The shared server plays the part of a server the user runs: an external PostgresServer
        // must drop only the databases it created and leave the server up.
        var shared = await SharedPostgres.GetAsync();
        string first;
        string second;
        await using (var external = await PostgresServer.StartAsync(shared.ConnectionString, cancellationToken: TestContext.CancellationToken))
        {
            Assert.IsFalse(external.IsEmbedded);
            first = await external.CreateDatabaseAsync("Orders Service!", TestContext.CancellationToken);
            second = await external.CreateDatabaseAsync("Orders Service!", TestContext.CancellationToken);
            var firstName = new NpgsqlConnectionStringBuilder(first).Database!;
            Assert.AreNotEqual(firstName, new NpgsqlConnectionStringBuilder(second).Database);
            StringAssert.StartsWith(firstName, "orders_service_");
            Assert.AreEqual(0L, await EmbeddedPostgresClusterTests.ScalarAsync<long>(first, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        }

        Assert.AreEqual(0L, await CountDatabasesAsync(shared.ConnectionString, first, second));
        Assert.AreEqual(1, await EmbeddedPostgresClusterTests.ScalarAsync<int>(shared.ConnectionString, "SELECT 1"), "the external server is left running");
    }

    [TestMethod]
    public async Task Dropping_a_database_disconnects_its_sessions()
    {
        var server = await SharedPostgres.GetAsync();
        var database = await server.CreateDatabaseAsync("busy", TestContext.CancellationToken);
        await using var session = new NpgsqlConnection(database);
        await session.OpenAsync(TestContext.CancellationToken);

        await server.DropDatabaseAsync(database, TestContext.CancellationToken);

        Assert.AreEqual(0L, await CountDatabasesAsync(server.ConnectionString, database));
    }

    [TestMethod]
    public async Task An_unreachable_server_gets_one_clear_message_without_the_password()
    {
        const string secret = "s3cret-Pa55word";
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresServer.StartAsync(
            $"Host=127.0.0.1;Port=1;Username=app;Password={secret};Database=app;Timeout=2", cancellationToken: TestContext.CancellationToken));

        StringAssert.Contains(error.Message, "127.0.0.1:1/app as app");
        StringAssert.Contains(error.Message, "Fix:");
        Assert.DoesNotContain(secret, error.Message);
    }

    [TestMethod]
    public async Task A_malformed_connection_string_gets_one_clear_message_without_the_password()
    {
        const string secret = "hunter2-secret";
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresServer.StartAsync(
            $"Host=localhost;Password={secret};NoSuchKeyword=1", cancellationToken: TestContext.CancellationToken));

        StringAssert.Contains(error.Message, "malformed");
        Assert.DoesNotContain(secret, error.Message);
    }

    [TestMethod]
    public void Describe_never_shows_the_password()
    {
        var description = ConnectionStrings.Describe("Host=db.internal;Port=5433;Database=todo;Username=app;Password=topsecret");

        Assert.AreEqual("db.internal:5433/todo as app", description);
        Assert.AreEqual("(unparseable connection string)", ConnectionStrings.Describe("Password=topsecret;Bogus"));
    }

    [TestMethod]
    public void Identifiers_are_quoted_and_database_names_stay_within_the_limit()
    {
        Assert.AreEqual("\"a\"\"b\"", PostgresIdentifiers.Quote("a\"b"));
        Assert.ThrowsExactly<ArgumentException>(() => PostgresIdentifiers.Quote("a\0b"));
        var longName = DatabaseNames.Unique(new string('x', 200));
        Assert.IsLessThanOrEqualTo(PostgresIdentifiers.MaxBytes, longName.Length);
        StringAssert.Matches(DatabaseNames.Unique("Ünïcode; DROP"), new System.Text.RegularExpressions.Regex("^[a-z0-9_]+$"));
    }

    private static async Task<long> CountDatabasesAsync(string serverConnectionString, params string[] databaseConnectionStrings)
    {
        var names = databaseConnectionStrings.Select(cs => new NpgsqlConnectionStringBuilder(cs).Database!).ToArray();
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = ANY(@names)", connection);
        command.Parameters.AddWithValue("names", names);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
