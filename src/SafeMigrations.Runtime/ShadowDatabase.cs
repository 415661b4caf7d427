using Npgsql;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Verify;

namespace SafeMigrations.Runtime;

/// <summary>
/// What `safemig verify` does to its shadow database besides migrating it: give it a real database's schema (pg_dump),
/// fill its tables with generated rows or a sample of real ones, and read its schema's shape.
/// </summary>
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
        var tables = await SeedColumnsAsync(connection, cancellationToken).ConfigureAwait(false);
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

        await AnalyzeAsync(connection, cancellationToken).ConfigureAwait(false);
        return (seeded, notes);
    }

    /// <summary>
    /// Copies up to <paramref name="rows"/> rows of every table from <paramref name="source"/> (read in one read-only
    /// snapshot, never written) into the shadow's empty tables, parents first, the columns both have; rows whose
    /// foreign key has no parent in the sample stay out (<see cref="SampleSql"/>). A table PostgreSQL refuses the
    /// rows of is named in the notes and left empty (seeding fills it later).
    /// </summary>
    public static async Task<(IReadOnlyDictionary<TableName, long> Copied, IReadOnlyList<string> Notes)> CopySampleAsync(NpgsqlConnection source, NpgsqlConnection shadow, int rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(shadow);
        var order = SeedSql.Order(await SeedColumnsAsync(shadow, cancellationToken).ConfigureAwait(false));
        var shadowColumns = await ColumnsAsync(shadow, null, cancellationToken).ConfigureAwait(false);
        var foreignKeys = await ForeignKeysAsync(shadow, cancellationToken).ConfigureAwait(false);
        var copied = new Dictionary<TableName, long>();
        var notes = new List<string>();
        await using var snapshot = await source.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using (var readOnly = new NpgsqlCommand(ObservationSql.ReadOnlyTransaction, source, snapshot))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var sourceColumns = await ColumnsAsync(source, snapshot, cancellationToken).ConfigureAwait(false);
        foreach (var table in order)
        {
            if (!sourceColumns.TryGetValue(table, out var theirs) || !shadowColumns.TryGetValue(table, out var ours))
            {
                continue;
            }

            var columns = ours.Where(theirs.Contains).ToList();
            await using (var any = new NpgsqlCommand(SeedSql.HasRows(table), shadow))
            {
                if (columns.Count == 0 || await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
                {
                    continue;
                }
            }

            try
            {
                await ExecuteAsync(shadow, SampleSql.DropStaging(), cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(shadow, SampleSql.CreateStaging(table, columns), cancellationToken).ConfigureAwait(false);
                string sample;
                await using (var read = new NpgsqlCommand(SampleSql.ReadSample(table, columns, rows), source, snapshot) { CommandTimeout = 0 })
                {
                    sample = (string)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }

                await using (var stage = new NpgsqlCommand(SampleSql.Stage(), shadow) { CommandTimeout = 0 })
                {
                    stage.Parameters.AddWithValue("rows", sample);
                    await stage.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (SampleSql.Prune(table, columns, foreignKeys) is { } prune)
                {
                    await using var orphans = new NpgsqlCommand(prune, shadow) { CommandTimeout = 0 };
                    while (await orphans.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
                    {
                        // again: a row whose staged parent was just deleted is an orphan now
                    }
                }

                await using var insert = new NpgsqlCommand(SampleSql.Insert(table, columns), shadow) { CommandTimeout = 0 };
                copied[table] = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e)
            {
                notes.Add($"{table.DisplayName} not sampled: PostgreSQL refused the copied rows ({e.SqlState}: {e.MessageText}); it is seeded with generated rows instead.");
            }
            finally
            {
                await ExecuteAsync(shadow, SampleSql.DropStaging(), cancellationToken).ConfigureAwait(false);
            }
        }

        await snapshot.RollbackAsync(cancellationToken).ConfigureAwait(false);
        await AdvanceSequencesAsync(shadow, copied.Keys.ToHashSet(), cancellationToken).ConfigureAwait(false);
        await AnalyzeAsync(shadow, cancellationToken).ConfigureAwait(false);
        return (copied, notes);
    }

    /// <summary>
    /// Creates in the shadow the schema <paramref name="sourceConnectionString"/>'s database has, as
    /// <paramref name="pgDump"/> writes it (<see cref="SchemaCopy"/>); the source is only read.
    /// </summary>
    public static async Task CopySchemaAsync(string pgDump, string sourceConnectionString, string shadowConnectionString, CancellationToken cancellationToken = default)
    {
        var source = new NpgsqlConnectionStringBuilder(sourceConnectionString);
        var start = new System.Diagnostics.ProcessStartInfo(pgDump)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in SchemaCopy.PgDumpArguments(source.Host ?? "localhost", source.Port, source.Database ?? source.Username ?? "postgres", source.Username))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGPASSWORD"] = source.Password ?? string.Empty;
        start.Environment["PGSSLMODE"] = source.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Require or SslMode.VerifyCA or SslMode.VerifyFull => "require",
            _ => "prefer",
        };
        string dump, errors;
        int exitCode;
        try
        {
            using var process = System.Diagnostics.Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            (dump, errors, exitCode) = (await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), process.ExitCode);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"pg_dump could not be started ({pgDump}: {e.Message}). Install PostgreSQL's client tools (Debian: apt-get install postgresql-client), in the version of the server or newer.", e);
        }

        if (exitCode != 0)
        {
            throw new InvalidOperationException($"pg_dump failed (exit code {exitCode}): {errors.Trim()}");
        }

        // Its own connection, never pooled: the dump sets search_path and other settings for the session it runs in.
        var shadow = new NpgsqlConnectionStringBuilder(shadowConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(shadow.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var restore = new NpgsqlCommand(SchemaCopy.Restorable(dump), connection) { CommandTimeout = 0 };
        await restore.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each table of a database with its rows (the planner's estimate) and size, read in a read-only transaction: what verify --from scales to, and what plan shows beside a lock.</summary>
    public static async Task<IReadOnlyDictionary<TableName, LiveTable>> TableSizesAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tables = new Dictionary<TableName, LiveTable>();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var readOnly = new NpgsqlCommand(ObservationSql.ReadOnlyTransaction, connection, transaction))
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

    private static async Task<Dictionary<TableName, IReadOnlyList<SeedColumn>>> SeedColumnsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<TableName, IReadOnlyList<SeedColumn>>();
        await using var command = new NpgsqlCommand(ObservationSql.SeedColumns, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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

        return tables;
    }

    private static async Task<Dictionary<TableName, List<string>>> ColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<TableName, List<string>>();
        await using var command = new NpgsqlCommand(ObservationSql.CopyableColumns, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var table = new TableName(reader.GetString(1), reader.GetString(0));
            if (!tables.TryGetValue(table, out var columns))
            {
                tables[table] = columns = [];
            }

            columns.Add(reader.GetString(2));
        }

        return tables;
    }

    private static async Task<List<ForeignKey>> ForeignKeysAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var keys = new List<ForeignKey>();
        await using var command = new NpgsqlCommand(ObservationSql.ForeignKeys, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(new ForeignKey(
                new TableName(reader.GetString(1), reader.GetString(0)), reader.GetFieldValue<string[]>(4),
                new TableName(reader.GetString(3), reader.GetString(2)), reader.GetFieldValue<string[]>(5)));
        }

        return keys;
    }

    private static async Task AdvanceSequencesAsync(NpgsqlConnection connection, HashSet<TableName> tables, CancellationToken cancellationToken)
    {
        var sequences = new List<(TableName Table, string Column, string Sequence)>();
        await using (var command = new NpgsqlCommand(ObservationSql.SequenceColumns, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sequences.Add((new TableName(reader.GetString(1), reader.GetString(0)), reader.GetString(2), reader.GetString(3)));
            }
        }

        foreach (var (table, column, sequence) in sequences.Where(s => tables.Contains(s.Table)))
        {
            await using var advance = new NpgsqlCommand(SampleSql.AdvanceSequence(table, column), connection);
            advance.Parameters.AddWithValue("sequence", sequence);
            await advance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task AnalyzeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var analyze = new NpgsqlCommand(ObservationSql.Analyze, connection) { CommandTimeout = 0 };
        await analyze.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
