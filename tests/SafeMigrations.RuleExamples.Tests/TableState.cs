using Npgsql;

namespace SafeMigrations.RuleExamples.Tests;

/// <summary>
/// A column as the observer sees it: its number (kept by a rename), name, and whether it takes NULL —
/// not when it is NOT NULL, nor when a CHECK (column IS NOT NULL) refuses NULL for new rows already.
/// </summary>
internal sealed record ColumnState(int Number, string Name, bool IsNullable, bool IsInsertable);

/// <summary>One table as the observer sees it between migrations: its identity, storage file, columns and indexes.</summary>
internal sealed record TableState(uint Oid, string Name, long FileNode, IReadOnlyList<ColumnState> Columns, IReadOnlyList<string> Indexes)
{
    /// <summary>Every ordinary table of the public schema.</summary>
    public static async Task<Dictionary<string, TableState>> ReadAllAsync(NpgsqlConnection connection)
    {
        var columns = new List<(uint Oid, string Table, long FileNode, ColumnState Column)>();
        await using (var command = new NpgsqlCommand("""
            SELECT c.oid, c.relname, pg_relation_filenode(c.oid)::bigint, a.attnum, a.attname,
                   NOT a.attnotnull AND NOT EXISTS (
                       SELECT 1 FROM pg_constraint k
                        WHERE k.conrelid = c.oid AND k.contype = 'c'
                          AND pg_get_constraintdef(k.oid) ~ ('^CHECK \(\(' || quote_ident(a.attname) || ' IS NOT NULL\)\)')),
                   a.attidentity = '' AND a.attgenerated = ''
              FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY c.relname, a.attnum
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetFieldValue<uint>(0), reader.GetString(1), reader.GetInt64(2),
                    new ColumnState(reader.GetInt16(3), reader.GetString(4), reader.GetBoolean(5), reader.GetBoolean(6))));
            }
        }

        var indexes = new List<(uint Table, string Index)>();
        await using (var command = new NpgsqlCommand("SELECT indrelid, indexrelid::regclass::text FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                indexes.Add((reader.GetFieldValue<uint>(0), reader.GetString(1)));
            }
        }

        return columns.GroupBy(c => (c.Oid, c.Table, c.FileNode)).ToDictionary(
            g => g.Key.Table,
            g => new TableState(g.Key.Oid, g.Key.Table, g.Key.FileNode, g.Select(c => c.Column).ToList(), indexes.Where(i => i.Table == g.Key.Oid).Select(i => i.Index).Order(StringComparer.Ordinal).ToList()),
            StringComparer.Ordinal);
    }

    /// <summary>The values of one column, independent of row order.</summary>
    public static async Task<string> HashAsync(NpgsqlConnection connection, string table, string column)
    {
        await using var command = new NpgsqlCommand($"SELECT md5(coalesce(string_agg(v::text, ',' ORDER BY v::text), '')) FROM (SELECT {Quote(column)} AS v FROM {Quote(table)}) AS r", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
