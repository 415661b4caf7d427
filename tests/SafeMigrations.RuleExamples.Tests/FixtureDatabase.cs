using Npgsql;
using SafeMigrations.Testing;

namespace SafeMigrations.RuleExamples.Tests;

/// <summary>
/// The populated schema every rule page's examples run against (docs/rules/README.md describes it):
/// users and their todo items, with the values that make unsafe changes show: NULL descriptions,
/// titles longer than 100 characters, estimates with three decimals, timestamps with microseconds.
/// Built once per test run as a template; each example gets a fresh copy.
/// </summary>
internal static class FixtureDatabase
{
    public const string Schema = FixtureSchema.Sql;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? templateName;

    /// <summary>A fresh copy of the populated fixture; drop it with <see cref="DropAsync"/>.</summary>
    public static async Task<string> CreateAsync()
    {
        var template = await TemplateAsync();
        return await SharedPostgres.CreateDatabaseAsync("rule_example", template);
    }

    public static Task DropAsync(string connectionString) => SharedPostgres.DropDatabaseAsync(connectionString);

    private static async Task<string> TemplateAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (templateName is null)
            {
                var connectionString = await SharedPostgres.CreateDatabaseAsync("rule_fixture");
                // A template must have no sessions: no pooled connection may stay behind.
                await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString))
                {
                    await connection.OpenAsync();
                    await using var command = new NpgsqlCommand(Schema, connection);
                    await command.ExecuteNonQueryAsync();
                }

                templateName = new NpgsqlConnectionStringBuilder(connectionString).Database;
            }

            return templateName!;
        }
        finally
        {
            Gate.Release();
        }
    }
}
