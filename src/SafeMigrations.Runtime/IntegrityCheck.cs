using Npgsql;

namespace SafeMigrations.Runtime;

/// <summary>
/// A user-declared check run before the first migration and after each one: a business rule the data must
/// keep ("every order has a customer", "no task lost its owner"). It returns null when the data is fine, or
/// what is wrong.
/// </summary>
public sealed class IntegrityCheck(string name, Func<NpgsqlConnection, CancellationToken, Task<string?>> check)
{
    public string Name { get; } = name;

    public Task<string?> RunAsync(NpgsqlConnection connection, CancellationToken cancellationToken) => check(connection, cancellationToken);

    /// <summary>Fails when <paramref name="sql"/> returns any row (write it to find the violations, e.g. orphans).</summary>
    public static IntegrityCheck NoRows(string name, string sql) => new(name, async (connection, token) =>
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        return await reader.ReadAsync(token).ConfigureAwait(false) ? $"'{sql}' returned rows" : null;
    });

    /// <summary>Fails when <paramref name="countSql"/> (a single count) is below <paramref name="minimum"/>: rows must not disappear.</summary>
    public static IntegrityCheck AtLeast(string name, string countSql, long minimum) => new(name, async (connection, token) =>
    {
        await using var command = new NpgsqlCommand(countSql, connection);
        var count = Convert.ToInt64(await command.ExecuteScalarAsync(token).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        return count < minimum ? $"{count} rows, expected at least {minimum}" : null;
    });
}
