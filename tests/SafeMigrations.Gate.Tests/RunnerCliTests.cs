using System.Text.Json.Nodes;
using Npgsql;
using SafeMigrations.Testing;

namespace SafeMigrations.Gate.Tests;

/// <summary>
/// safemig apply, history, rollback and restore as a developer runs them: the installed tool, a real app
/// (EF Core 10 + Npgsql) built by dotnet, a real PostgreSQL holding data; JSON against the published schema;
/// bad input gets one clear error, a non-zero exit and no password, and leaves the database as it was.
/// </summary>
[TestClass]
public sealed class RunnerCliTests
{
    private const string Password = "Runner-Secret-pw9";

    [TestMethod]
    public async Task Safemig_applies_rolls_back_and_restores_with_an_audit_trail_and_refuses_bad_input_cleanly()
    {
        await GatePackages.EnsureAsync();
        using var app = SampleApp.Create(EfVersions.Ef10);
        Assert.AreEqual(0, (await app.SafemigAsync("migrations", "add", "Initial")).ExitCode);
        var connection = await SharedPostgres.CreateDatabaseAsync("gate-runner");
        await using var database = NpgsqlDataSource.Create(connection);

        // Three more migrations, as EF writes them (one build serves every command below): a column added, then one dropped (a contract step, backed up before the drop).
        app.Write("Migrations/20300101000000_AddProductStock.cs", HandWritten("AddProductStock", "20300101000000",
            "migrationBuilder.AddColumn<int>(name: \"Stock\", table: \"products\", nullable: false, defaultValue: 0);",
            "migrationBuilder.DropColumn(name: \"Stock\", table: \"products\");"));
        app.Write("Migrations/20300101000100_DropProductNotes.cs", HandWritten("DropProductNotes", "20300101000100",
            "migrationBuilder.DropColumn(name: \"Notes\", table: \"products\");",
            "migrationBuilder.AddColumn<string>(name: \"Notes\", table: \"products\", nullable: true);"));

        // … and one that fails half-way (applied last).
        app.Write("Migrations/20300101000200_BreakProducts.cs", HandWritten("BreakProducts", "20300101000200",
            "migrationBuilder.AddColumn<int>(name: \"Broken\", table: \"products\", nullable: true);\n        migrationBuilder.Sql(\"UPDATE products SET \\\"Broken\\\" = 1 / (\\\"Id\\\" - \\\"Id\\\");\");",
            string.Empty));

        // Apply: JSON as the schema says, EF's history right.
        var applied = await app.SafemigAsync("apply", "--connection", connection, "--format", "json", "--to", "Initial");
        Assert.AreEqual(0, applied.ExitCode, applied.Output);
        var run = (await OutputSchemas.ValidTextAsync(app.Directory, "apply.json", Database.Json(applied.Output)))["runs"]![0]!;
        StringAssert.EndsWith((string?)run["steps"]![0]!["migrationId"], "_Initial");
        Assert.AreEqual(1L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM \"__EFMigrationsHistory\""));
        await Database.ExecuteAsync(database, "INSERT INTO products (\"Name\", \"Notes\") SELECT 'p' || g, 'note ' || g FROM generate_series(1, 2000) g");

        var dryRun = await app.SafemigAsync("apply", "--no-build", "--connection", connection, "--dry-run", "--to", "DropProductNotes");
        Assert.AreEqual(0, dryRun.ExitCode, dryRun.Output);
        StringAssert.Contains(dryRun.Output, "ALTER TABLE products ADD \"Stock\"");
        Assert.AreEqual(1L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM \"__EFMigrationsHistory\""), "a dry run changes nothing");

        var expand = await app.SafemigAsync("apply", "--no-build", "--connection", connection, "--phase", "expand");
        Assert.AreEqual(0, expand.ExitCode, expand.Output);
        StringAssert.Contains(expand.Output, "_AddProductStock");
        StringAssert.Contains(expand.Output, "not applied in this phase");
        var contract = await app.SafemigAsync("apply", "--no-build", "--connection", connection, "--phase", "contract");
        Assert.AreEqual(0, contract.ExitCode, contract.Output);
        StringAssert.Contains(contract.Output, "_DropProductNotes");

        // The model still maps Notes (those migrations were written by hand): drift says the column is missing.
        var drifted = await app.SafemigAsync("drift", "--no-build", "--connection", connection);
        Assert.AreEqual(1, drifted.ExitCode, drifted.Output);
        StringAssert.Contains(drifted.Output, "SM4003");
        StringAssert.Contains(drifted.Output, "\"products\".\"Notes\" is missing");

        var history = await app.SafemigAsync("history", "--no-build", "--connection", connection, "--format", "json");
        Assert.AreEqual(0, history.ExitCode, history.Output);
        var rows = (await OutputSchemas.ValidTextAsync(app.Directory, "history.json", Database.Json(history.Output)))["runs"]![0]!["history"]!.AsArray();
        Assert.HasCount(3, rows);
        Assert.IsTrue(rows.All(r => (string?)r!["outcome"] == "applied" && ((string?)r["checksum"])!.Length == 64));

        // Rollback of the drop is refused without --force, and says which; with it, Down runs and restore puts the notes back.
        var dropId = "20300101000100_DropProductNotes";
        var refused = await app.SafemigAsync("rollback", "--no-build", "--connection", connection, "--to", "AddProductStock");
        Assert.AreEqual(1, refused.ExitCode, refused.Output);
        StringAssert.Contains(refused.Output, "dropped column products.Notes");
        var rolledBack = await app.SafemigAsync("rollback", "--no-build", "--connection", connection, "--to", "AddProductStock", "--force");
        Assert.AreEqual(0, rolledBack.ExitCode, rolledBack.Output);
        Assert.AreEqual(0L, await Database.ScalarAsync<long>(database, "SELECT count(\"Notes\") FROM products"));
        var restored = await app.SafemigAsync("restore", "--no-build", "--connection", connection, "--migration", dropId);
        Assert.AreEqual(0, restored.ExitCode, restored.Output);
        StringAssert.Contains(restored.Output, "Restored 2000 rows' values");
        var backups = await app.SafemigAsync("backups", "--no-build", "--connection", connection, "--format", "json");
        Assert.AreEqual(0, backups.ExitCode, backups.Output);
        var listed = (await OutputSchemas.ValidTextAsync(app.Directory, "backups.json", Database.Json(backups.Output)))["runs"]![0]!["backups"]!.AsArray();
        Assert.AreEqual(dropId, (string?)listed.Single()!["migrationId"]);
        Assert.AreEqual(2000L, (long)listed.Single()!["rows"]!);
        var purged = await app.SafemigAsync("backups", "--no-build", "--connection", connection, "--purge", "DropProductNotes");
        Assert.AreEqual(0, purged.ExitCode, purged.Output);
        StringAssert.Contains(purged.Output, "Dropped 1 backup(s).");
        StringAssert.Contains(purged.Output, "No backups");
        Assert.AreEqual(2000L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM products WHERE \"Notes\" = 'note ' || substr(\"Name\", 2)"));
        var inLine = await app.SafemigAsync("drift", "--no-build", "--connection", connection);
        Assert.AreEqual(0, inLine.ExitCode, inLine.Output);
        StringAssert.Contains(inLine.Output, "\"products\".\"Stock\" is not in the model");

        // A migration that fails: the error with the statement, exit 1, the database as before it.
        var failing = await app.SafemigAsync("apply", "--no-build", "--connection", connection);
        Assert.AreEqual(1, failing.ExitCode, failing.Output);
        StringAssert.Contains(failing.Output, "division by zero");
        StringAssert.Contains(failing.Output, "failing statement");
        StringAssert.Contains(failing.Output, "_DropProductNotes", "the migrations before it were applied");
        Assert.AreEqual(0L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" LIKE '%BreakProducts'"));
        Assert.IsFalse(await Database.ScalarAsync<bool>(database, "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'products' AND column_name = 'Broken')"));

        // A wrong password and an unreachable server: one clear error each, exit 2, the password nowhere.
        var builder = new NpgsqlConnectionStringBuilder(connection) { Password = Password, Username = "not_a_user" };
        var wrongPassword = await app.SafemigAsync("apply", "--no-build", "--connection", builder.ConnectionString);
        Assert.AreEqual(2, wrongPassword.ExitCode, wrongPassword.Output);
        StringAssert.Contains(wrongPassword.Output, "not_a_user");
        StringAssert.Contains(wrongPassword.Output, "Check the connection string");
        Assert.DoesNotContain(Password, wrongPassword.Output);
        Assert.DoesNotContain("   at ", wrongPassword.Output, "no stack trace");
        var unreachable = await app.SafemigAsync("apply", "--no-build", "--connection", $"Host=127.0.0.1;Port=1;Database=shop;Username=shop;Password={Password};Timeout=3");
        Assert.AreEqual(2, unreachable.ExitCode, unreachable.Output);
        StringAssert.Contains(unreachable.Output, "could not be used");
        Assert.DoesNotContain(Password, unreachable.Output);
        var malformed = await app.SafemigAsync("apply", "--no-build", "--connection", $"Host=127.0.0.1;Passwort={Password};Colour=blue");
        Assert.AreEqual(2, malformed.ExitCode, malformed.Output);
        StringAssert.Contains(malformed.Output, "The connection string is not valid");
        Assert.DoesNotContain(Password, malformed.Output);
        var notBuilt = await app.SafemigAsync("apply", "--no-build", "--configuration", "Release", "--connection", connection);
        Assert.AreEqual(2, notBuilt.ExitCode, notBuilt.Output);
        StringAssert.Contains(notBuilt.Output, "does not exist: build the project");
        var noDatabase = await app.SafemigAsync("history", "--no-build");
        Assert.AreEqual(2, noDatabase.ExitCode, noDatabase.Output);
        StringAssert.Contains(noDatabase.Output, "needs a database");
        Assert.AreEqual(0L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM safemigrations.statements WHERE sql LIKE '%" + Password + "%' OR coalesce(error, '') LIKE '%" + Password + "%'"));
    }

    private static string HandWritten(string name, string timestamp, string up, string down) => $$"""
        using Microsoft.EntityFrameworkCore.Infrastructure;
        using Microsoft.EntityFrameworkCore.Migrations;

        namespace Shop.Migrations;

        [DbContext(typeof(ShopContext))]
        [Migration("{{timestamp}}_{{name}}")]
        public class {{name}} : Migration
        {
            protected override void Up(MigrationBuilder migrationBuilder)
            {
                {{up}}
            }

            protected override void Down(MigrationBuilder migrationBuilder)
            {
                {{down}}
            }
        }
        """;
}
