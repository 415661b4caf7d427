using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Runner;

/// <summary>What the runner asks PostgreSQL while it applies migrations. Values are parameters; identifiers are quoted.</summary>
public static class RunnerSql
{
    /// <summary>
    /// Session settings for the next statement. Session-level (not SET LOCAL) so they also cover statements run
    /// outside a transaction; the runner resets them when it is done. Milliseconds; 0 means no limit.
    /// </summary>
    public static string SetTimeouts(long lockTimeoutMs, long statementTimeoutMs) =>
        "SET lock_timeout = " + lockTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture) +
        "; SET statement_timeout = " + statementTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static readonly string ResetTimeouts = "RESET lock_timeout; RESET statement_timeout";

    /// <summary>
    /// What the runner's session (@pid) is doing: whether it waits for a lock, who it waits for, and which
    /// sessions wait for it (pg_blocking_pids counts those queued behind it too).
    /// </summary>
    public static readonly string Watch =
        "SELECT coalesce(a.wait_event_type = 'Lock', false), pg_blocking_pids(@pid), " +
        "ARRAY(SELECT b.pid FROM pg_stat_activity b WHERE b.pid <> @pid AND @pid = ANY(pg_blocking_pids(b.pid))) " +
        "FROM pg_stat_activity a WHERE a.pid = @pid";

    /// <summary>One session's identity for messages: pid, application, client, transaction start, state, query.</summary>
    public static readonly string Session =
        "SELECT pid, coalesce(application_name, ''), coalesce(host(client_addr), 'local'), xact_start, coalesce(state, ''), coalesce(query, '') " +
        "FROM pg_stat_activity WHERE pid = @pid";

    /// <summary>Stops the runner's own statement (never another session's): the watchdog's cancel.</summary>
    public static readonly string Cancel = "SELECT pg_cancel_backend(@pid)";

    /// <summary>An index by name in a schema (null: the search path's first): whether it exists and whether it is valid.</summary>
    public static readonly string IndexState =
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE c.relname = @name AND n.nspname = coalesce(@schema, current_schema())";

    /// <summary>Indexes left INVALID (a failed concurrent build), outside the system schemas.</summary>
    public static readonly string InvalidIndexes =
        "SELECT n.nspname, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2";

    /// <summary>Foreign keys and checks still NOT VALID: fine between the two steps of the recipe, worth a note at the end of a run.</summary>
    public static readonly string UnvalidatedConstraints =
        "SELECT n.nspname, t.relname, c.conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace " +
        "WHERE NOT c.convalidated AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3";

    /// <summary>Drops what a failed CREATE INDEX CONCURRENTLY left behind; it must run outside a transaction.</summary>
    public static string DropInvalidIndex(string? schema, string name) =>
        "DROP INDEX CONCURRENTLY IF EXISTS " + Qualified(schema, name);

    /// <summary>Rows of a table whose column is NULL, before the column becomes NOT NULL (capped: a count is enough).</summary>
    public static string NullCount(string? schema, string table, string column) =>
        "SELECT count(*) FROM (SELECT 1 FROM " + Qualified(schema, table) + " WHERE " + PostgresIdentifiers.Quote(column) + " IS NULL LIMIT 1000) nulls";

    /// <summary>Groups of rows that share a key a unique index or constraint is about to forbid (capped).</summary>
    public static string DuplicateCount(string? schema, string table, System.Collections.Generic.IReadOnlyList<string> columns)
    {
        var list = string.Join(", ", System.Linq.Enumerable.Select(columns, PostgresIdentifiers.Quote));
        // NULLs never collide under a unique index (NULLS DISTINCT, PostgreSQL's default).
        var notNull = string.Join(" AND ", System.Linq.Enumerable.Select(columns, c => PostgresIdentifiers.Quote(c) + " IS NOT NULL"));
        return "SELECT count(*) FROM (SELECT 1 FROM " + Qualified(schema, table) + " WHERE " + notNull + " GROUP BY " + list + " HAVING count(*) > 1 LIMIT 1000) duplicates";
    }

    /// <summary>Rows whose foreign key points at no principal row, before a validated foreign key is added (capped).</summary>
    public static string OrphanCount(
        string? schema, string table, System.Collections.Generic.IReadOnlyList<string> columns,
        string? principalSchema, string principalTable, System.Collections.Generic.IReadOnlyList<string> principalColumns)
    {
        var join = string.Join(" AND ", System.Linq.Enumerable.Select(System.Linq.Enumerable.Range(0, columns.Count),
            i => "p." + PostgresIdentifiers.Quote(principalColumns[i]) + " = d." + PostgresIdentifiers.Quote(columns[i])));
        var notNull = string.Join(" AND ", System.Linq.Enumerable.Select(columns, c => "d." + PostgresIdentifiers.Quote(c) + " IS NOT NULL"));
        return "SELECT count(*) FROM (SELECT 1 FROM " + Qualified(schema, table) + " d WHERE " + notNull +
            " AND NOT EXISTS (SELECT 1 FROM " + Qualified(principalSchema, principalTable) + " p WHERE " + join + ") LIMIT 1000) orphans";
    }

    public static string Qualified(string? schema, string name) =>
        string.IsNullOrEmpty(schema) ? PostgresIdentifiers.Quote(name) : PostgresIdentifiers.Quote(schema!) + "." + PostgresIdentifiers.Quote(name);
}
