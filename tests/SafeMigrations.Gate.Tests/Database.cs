using Npgsql;

namespace SafeMigrations.Gate.Tests;

/// <summary>What the tests read from and write to the databases the apps migrate.</summary>
internal static class Database
{
    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task ExecuteAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The JSON document in safemig's output (the text around it is the test process's own).</summary>
    public static string Json(string output) => output[output.IndexOf('{', StringComparison.Ordinal)..(output.LastIndexOf('}') + 1)];
}
