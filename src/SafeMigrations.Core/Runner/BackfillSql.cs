using System;
using System.Globalization;
using System.Text;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Runner;

/// <summary>What a batched backfill does: which rows of which table, set how, in batches of what size.</summary>
public sealed record BackfillSpec(string? Schema, string Table, string KeyColumn, string Set, string Where, int BatchSize, int PauseMilliseconds)
{
    /// <summary>A name for progress and the cursor: schema.table.</summary>
    public string Name => (Schema is null ? string.Empty : Schema + ".") + Table;
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
    public static readonly string KeyType =
        "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = to_regclass(@table) AND a.attname = @column AND NOT a.attisdropped";

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
        var key = PostgresIdentifiers.Quote(spec.KeyColumn);
        // Outside a transaction block a DO block may COMMIT: each batch is its own transaction.
        return header + "\n" +
            "DO $safemigrations_backfill$\nDECLARE\n  done integer;\nBEGIN\n  LOOP\n" +
            "    WITH batch AS (SELECT " + key + " AS safemigrations_key FROM " + table + " WHERE (" + spec.Where + ") ORDER BY " + key + " LIMIT " + spec.BatchSize.ToString(CultureInfo.InvariantCulture) + " FOR UPDATE SKIP LOCKED)\n" +
            "    UPDATE " + table + " AS t SET " + spec.Set + " FROM batch WHERE t." + key + " = batch.safemigrations_key;\n" +
            "    GET DIAGNOSTICS done = ROW_COUNT;\n    EXIT WHEN done = 0;\n    COMMIT;\n" +
            (spec.PauseMilliseconds > 0 ? "    PERFORM pg_sleep(" + (spec.PauseMilliseconds / 1000.0).ToString("0.###", CultureInfo.InvariantCulture) + ");\n" : string.Empty) +
            "  END LOOP;\nEND\n$safemigrations_backfill$;";
    }

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
    /// One batch along the key, after the cursor (@last, compared as the key's type): updates it and returns
    /// how many rows and the batch's last key as text. The first batch has no cursor.
    /// </summary>
    public static string Batch(BackfillSpec spec, string keyType, bool first)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        var table = RunnerSql.Qualified(spec.Schema, spec.Table);
        var key = PostgresIdentifiers.Quote(spec.KeyColumn);
        // The batch's key is renamed so the developer's SET and WHERE can name the key column without ambiguity.
        return "WITH batch AS (SELECT " + key + " AS safemigrations_key FROM " + table + " WHERE " + (first ? string.Empty : key + " > CAST(@last AS " + keyType + ") AND ") +
            "(" + spec.Where + ") ORDER BY " + key + " LIMIT " + spec.BatchSize.ToString(CultureInfo.InvariantCulture) + " FOR UPDATE), " +
            "updated AS (UPDATE " + table + " AS t SET " + spec.Set + " FROM batch WHERE t." + key + " = batch.safemigrations_key RETURNING t." + key + " AS safemigrations_key) " +
            "SELECT count(*), (array_agg(safemigrations_key ORDER BY safemigrations_key DESC))[1]::text FROM updated";
    }

    private static string Encode(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    private static string Decode(string value) => Encoding.UTF8.GetString(Convert.FromBase64String(value));
}
