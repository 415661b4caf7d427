using System;
using System.Globalization;
using System.Text;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Runner;

/// <summary>
/// What a batched backfill does: which rows of which table, set how, in batches of what size. An empty
/// <see cref="KeyColumn"/> walks the table's primary key (a single column), looked up when it runs.
/// </summary>
public sealed record BackfillSpec(string? Schema, string Table, string KeyColumn, string Set, string Where, int BatchSize, int PauseMilliseconds)
{
    /// <summary>A name for progress and the cursor: schema.table.</summary>
    public string Name => (Schema is null ? string.Empty : Schema + ".") + Table;

    /// <summary>Whether the key is the table's primary key, found when the backfill runs.</summary>
    public bool UsesPrimaryKey => string.IsNullOrEmpty(KeyColumn);
}

/// <summary>
/// Batched, resumable backfills: an UPDATE split into batches along the table's key, each committed on its
/// own so it holds its row locks only briefly. A migration carries one as a single SQL statement that runs
/// outside a transaction: a DO block that loops batch by batch and commits after each (so dotnet ef database
/// update and Migrate() run it batched too), headed by a comment the runner reads to run it its own way: with
/// a persisted cursor, progress, a pause between batches and its timeouts. <c>Set</c> and <c>Where</c> are SQL
/// written by the developer in the migration; <c>Where</c> must select the rows still to do (so a batch
/// never selects a row twice), e.g. <c>email IS NULL</c>.
/// </summary>
public static class BackfillSql
{
    public static readonly string Marker = "/* safemigrations:backfill v1 ";

    public static readonly string ReadCursor = "SELECT last_key, rows, done FROM safemigrations.backfills WHERE migration_id = @migration AND name = @name";

    public static readonly string SaveCursor =
        "INSERT INTO safemigrations.backfills (migration_id, name, last_key, rows, done, updated_at) VALUES (@migration, @name, @last, @rows, @done, now()) " +
        "ON CONFLICT (migration_id, name) DO UPDATE SET last_key = excluded.last_key, rows = excluded.rows, done = excluded.done, updated_at = now()";

    /// <summary>The key column's type as SQL (e.g. bigint, uuid), to compare the cursor (kept as text) with it. Parameters: @table (regclass text), @column.</summary>
    public static readonly string KeyType = KeyTypeQuery("to_regclass(@table)", "@column");

    /// <summary>The table's primary key column when the key is one column, else no row. Parameter: @table (regclass text).</summary>
    public static readonly string PrimaryKeyColumn = PrimaryKeyQuery("to_regclass(@table)");

    /// <summary>PostgreSQL's estimate of the table's rows (for progress; no scan).</summary>
    public static readonly string EstimatedRows = "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = to_regclass(@table)";

    /// <summary>The statement a migration carries: the marker comment, then the DO block EF runs.</summary>
    public static string Statement(BackfillSpec spec)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        if (spec.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), "The batch size must be at least 1.");
        }

        var header = Marker + string.Join(" ", Encode(spec.Schema ?? string.Empty), Encode(spec.Table), Encode(spec.KeyColumn), Encode(spec.Set), Encode(spec.Where),
            spec.BatchSize.ToString(CultureInfo.InvariantCulture), spec.PauseMilliseconds.ToString(CultureInfo.InvariantCulture)) + " */";
        var table = RunnerSql.Qualified(spec.Schema, spec.Table);
        var size = spec.BatchSize.ToString(CultureInfo.InvariantCulture);
        // The same key-range batches as the runner's, in PL/pgSQL: the key (given, or the primary key) and its type
        // are looked up when it runs (%1$I and %2$s in the dynamic SQL), the cursor is a local variable. Outside a
        // transaction block a DO block may COMMIT: each batch is its own transaction.
        var after = "($1 IS NULL OR " + KeyNameSlot + " > CAST($1 AS " + KeyTypeSlot + "))";
        var upper = "SELECT coalesce((SELECT " + KeyNameSlot + "::text FROM " + table + " WHERE " + after + " ORDER BY " + KeyNameSlot + " LIMIT 1 OFFSET " + size + " - 1), " +
            "(SELECT " + KeyNameSlot + "::text FROM " + table + " WHERE " + after + " ORDER BY " + KeyNameSlot + " DESC LIMIT 1))";
        var update = "UPDATE " + table + " SET " + spec.Set + " WHERE " + after + " AND " + KeyNameSlot + " <= CAST($2 AS " + KeyTypeSlot + ") AND (" + spec.Where + ")";
        var regclass = "to_regclass(" + Literal(table) + ")";
        return header + "\n" +
            "DO $safemigrations_backfill$\nDECLARE\n" +
            "  key_name text := " + Literal(spec.KeyColumn) + ";\n" +
            "  key_type text;\n" +
            "  last_key text;\n  upper_key text;\nBEGIN\n" +
            "  IF key_name = '' THEN\n" +
            "    key_name := (" + PrimaryKeyQuery(regclass) + ");\n" +
            "  END IF;\n" +
            "  key_type := (" + KeyTypeQuery(regclass, "key_name") + ");\n" +
            "  IF key_type IS NULL THEN\n" +
            "    RAISE EXCEPTION 'Backfill of %: %', " + Literal(spec.Name) + ", " + Literal(MissingKey(spec)) + ";\n" +
            "  END IF;\n" +
            "  LOOP\n" +
            "    EXECUTE format(" + Literal(Formatted(upper)) + ", key_name, key_type) INTO upper_key USING last_key;\n" +
            "    EXIT WHEN upper_key IS NULL;\n" +
            "    EXECUTE format(" + Literal(Formatted(update)) + ", key_name, key_type) USING last_key, upper_key;\n" +
            "    last_key := upper_key;\n    COMMIT;\n" +
            (spec.PauseMilliseconds > 0 ? "    PERFORM pg_sleep(" + (spec.PauseMilliseconds / 1000.0).ToString("0.###", CultureInfo.InvariantCulture) + ");\n" : string.Empty) +
            "  END LOOP;\nEND\n$safemigrations_backfill$;";
    }

    /// <summary>What the runner and the DO block say when the key cannot be found.</summary>
    public static string MissingKey(BackfillSpec spec) =>
        spec is null ? throw new ArgumentNullException(nameof(spec))
        : spec.UsesPrimaryKey ? "the table does not exist or has no single-column primary key: pass keyColumn (--key), a unique column the batches can walk"
        : "the table or its key column " + spec.KeyColumn + " does not exist";

    private const string KeyNameSlot = "@@safemigrations_key_name@@";

    private static string KeyTypeQuery(string relation, string column) =>
        "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = " + relation + " AND a.attname = " + column + " AND NOT a.attisdropped";

    private static string PrimaryKeyQuery(string relation) =>
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] " +
        "WHERE i.indrelid = " + relation + " AND i.indisprimary AND i.indnatts = 1";

    private const string KeyTypeSlot = "@@safemigrations_key_type@@";

    // format() reads % as a placeholder: the developer's SQL gets its % doubled, then the key's slots become positional
    // placeholders: its name quoted as an identifier, its type as written.
    private static string Formatted(string sql) => sql.Replace("%", "%%").Replace(KeyNameSlot, "%1$I").Replace(KeyTypeSlot, "%2$s");

    private static string Literal(string text) => "'" + text.Replace("'", "''") + "'";

    /// <summary>The backfill a statement carries, or null when it is not one.</summary>
    public static BackfillSpec? Parse(string sql)
    {
        if (sql is null || !sql.StartsWith(Marker, StringComparison.Ordinal))
        {
            return null;
        }

        var end = sql.IndexOf(" */", Marker.Length, StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        var parts = sql.Substring(Marker.Length, end - Marker.Length).Split(' ');
        if (parts.Length != 7
            || !int.TryParse(parts[5], NumberStyles.Integer, CultureInfo.InvariantCulture, out var batch)
            || !int.TryParse(parts[6], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pause))
        {
            return null;
        }

        var schema = Decode(parts[0]);
        return new BackfillSpec(schema.Length == 0 ? null : schema, Decode(parts[1]), Decode(parts[2]), Decode(parts[3]), Decode(parts[4]), batch, pause);
    }

    /// <summary>
    /// One batch along the key, after the cursor (@last, compared as the key's type): the batch is the key range
    /// up to the <c>BatchSize</c>-th key after the cursor (an index-only scan), updated with one range scan of
    /// the primary key, so each batch costs the same however far it is. Returns the rows updated and the range's
    /// upper key as text (NULL when no key is left: done). The first batch has no cursor.
    /// </summary>
    public static string Batch(BackfillSpec spec, string keyType, bool first)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        var table = RunnerSql.Qualified(spec.Schema, spec.Table);
        var key = PostgresIdentifiers.Quote(spec.KeyColumn);
        var after = first ? "TRUE" : key + " > CAST(@last AS " + keyType + ")";
        var size = spec.BatchSize.ToString(CultureInfo.InvariantCulture);
        return "WITH upper_key AS (SELECT coalesce(" +
            "(SELECT " + key + " FROM " + table + " WHERE " + after + " ORDER BY " + key + " LIMIT 1 OFFSET " + size + " - 1), " +
            "(SELECT " + key + " FROM " + table + " WHERE " + after + " ORDER BY " + key + " DESC LIMIT 1)) AS safemigrations_key), " +
            "updated AS (UPDATE " + table + " SET " + spec.Set + " WHERE " + after + " AND " + key + " <= (SELECT safemigrations_key FROM upper_key) AND (" + spec.Where + ") RETURNING 1) " +
            "SELECT (SELECT count(*) FROM updated), (SELECT safemigrations_key::text FROM upper_key)";
    }

    private static string Encode(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    private static string Decode(string value) => Encoding.UTF8.GetString(Convert.FromBase64String(value));
}
