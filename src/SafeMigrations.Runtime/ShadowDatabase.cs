using Npgsql;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Verify;

namespace SafeMigrations.Runtime;

/// <summary>What `safemig verify` does to its shadow database besides migrating it: fill its tables, and read its schema's shape.</summary>
public static class ShadowDatabase
{
    /// <summary>
    /// Inserts <paramref name="rows"/> rows into every table (parents first; see <see cref="SeedSql"/>). A table whose
    /// rows PostgreSQL refuses (a check the generated values break) is left empty and named in the result's notes.
    /// </summary>
    /// <param name="onlyEmpty">Leave tables that already hold rows alone (the tables an earlier step seeded).</param>
    public static async Task<(IReadOnlyDictionary<TableName, long> Seeded, IReadOnlyList<string> Notes)> SeedAsync(NpgsqlConnection connection, int rows, bool onlyEmpty = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tables = new Dictionary<TableName, IReadOnlyList<SeedColumn>>();
        await using (var command = new NpgsqlCommand(ObservationSql.SeedColumns, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var table = new TableName(reader.GetString(1), reader.GetString(0));
                var references = reader.IsDBNull(9) ? ((TableName, string)?)null : (new TableName(reader.GetString(9), reader.GetString(8)), reader.GetString(10));
                var column = new SeedColumn(reader.GetString(2), reader.GetString(3), reader.GetString(4) == "e", reader.GetBoolean(5), reader.GetBoolean(6), reader.GetBoolean(7), references, reader.GetBoolean(11));
                if (!tables.TryGetValue(table, out var columns))
                {
                    tables[table] = columns = new List<SeedColumn>();
                }

                ((List<SeedColumn>)columns).Add(column);
            }
        }

        var seeded = new Dictionary<TableName, long>();
        var notes = new List<string>();
        foreach (var table in SeedSql.Order(tables))
        {
            if (onlyEmpty)
            {
                await using var any = new NpgsqlCommand(SeedSql.HasRows(table), connection);
                if (await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
                {
                    continue;
                }
            }

            if (SeedSql.Insert(table, tables[table], rows) is not { } insert)
            {
                notes.Add($"{table.DisplayName} left empty: a NOT NULL column has a type the seeding has no value for.");
                continue;
            }

            try
            {
                await using var command = new NpgsqlCommand(insert, connection) { CommandTimeout = 0 };
                seeded[table] = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e)
            {
                notes.Add($"{table.DisplayName} left empty: PostgreSQL refused the generated rows ({e.SqlState}: {e.MessageText}).");
            }
        }

        await using (var analyze = new NpgsqlCommand("ANALYZE", connection) { CommandTimeout = 0 })
        {
            await analyze.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return (seeded, notes);
    }

    /// <summary>The tables of the database verify scales to, with their rows and size; read in a read-only transaction.</summary>
    public static async Task<IReadOnlyDictionary<TableName, LiveTable>> LiveTablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tables = new Dictionary<TableName, LiveTable>();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand(ObservationSql.TableSizes, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var table = new TableName(reader.GetString(1), reader.GetString(0));
                tables[table] = new LiveTable(table, reader.GetInt64(2), reader.GetInt64(3));
            }
        }

        await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        return tables;
    }

    /// <summary>The schema as sorted lines (columns, constraints, indexes), to compare before and after a round trip.</summary>
    public static async Task<IReadOnlyList<string>> ShapeAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var lines = new List<string>();
        await using var command = new NpgsqlCommand(ObservationSql.SchemaShape, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }
}
