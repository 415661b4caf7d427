namespace SafeMigrations.Core.Runner;

/// <summary>
/// The runner's own tables, in the schema <c>safemigrations</c>, next to EF's __EFMigrationsHistory (which
/// stays the source of truth for what is applied, so dotnet ef, Migrate() and the runner agree). Values are
/// always parameters.
/// </summary>
public static class AuditSql
{
    public static readonly string Schema = "safemigrations";

    /// <summary>Idempotent; run under the runner's advisory lock, so two runners never race on it.</summary>
    public static readonly string Create =
        "CREATE SCHEMA IF NOT EXISTS safemigrations;\n" +
        "CREATE TABLE IF NOT EXISTS safemigrations.runs (run_id uuid PRIMARY KEY, started_at timestamptz NOT NULL, finished_at timestamptz, " +
        "command text NOT NULL, target text, phase text, applied_by text NOT NULL, host text NOT NULL, tool_version text NOT NULL, " +
        "outcome text NOT NULL, error text);\n" +
        "CREATE TABLE IF NOT EXISTS safemigrations.migrations (run_id uuid NOT NULL, migration_id text NOT NULL, direction text NOT NULL, " +
        "checksum text NOT NULL, product_version text NOT NULL, started_at timestamptz NOT NULL, duration_ms double precision NOT NULL, " +
        "outcome text NOT NULL, error text, failing_statement text, PRIMARY KEY (run_id, migration_id, direction));\n" +
        "CREATE TABLE IF NOT EXISTS safemigrations.statements (run_id uuid NOT NULL, migration_id text NOT NULL, direction text NOT NULL, " +
        "ordinal int NOT NULL, sql text NOT NULL, in_transaction boolean NOT NULL, started_at timestamptz NOT NULL, duration_ms double precision NOT NULL, " +
        "lock_wait_ms double precision NOT NULL, retries int NOT NULL, outcome text NOT NULL, error text, PRIMARY KEY (run_id, migration_id, direction, ordinal));\n" +
        // Steps of a migration that commit separately (a transaction, then CREATE INDEX CONCURRENTLY, …):
        // how many completed, so a run that died in the middle resumes after them instead of repeating them.
        "CREATE TABLE IF NOT EXISTS safemigrations.progress (migration_id text PRIMARY KEY, checksum text NOT NULL, completed_steps int NOT NULL, updated_at timestamptz NOT NULL);\n" +
        // Batched backfills' cursors: the last key done, so a backfill that stopped resumes after it.
        "CREATE TABLE IF NOT EXISTS safemigrations.backfills (migration_id text NOT NULL, name text NOT NULL, last_key text, rows bigint NOT NULL, " +
        "done boolean NOT NULL, updated_at timestamptz NOT NULL, PRIMARY KEY (migration_id, name));\n" +
        // Each time the runner paused its background work because the application was suffering (ThrottleLimits).
        "CREATE TABLE IF NOT EXISTS safemigrations.pauses (run_id uuid NOT NULL, migration_id text NOT NULL, started_at timestamptz NOT NULL, " +
        "duration_ms double precision NOT NULL, reason text NOT NULL);\n" +
        // One row per run, for dashboards and alerts: how it ended, how long it took, what it did and waited for.
        "CREATE OR REPLACE VIEW safemigrations.run_summary AS SELECT r.run_id, r.command, r.outcome, r.error, r.started_at, r.finished_at, " +
        "extract(epoch FROM (coalesce(r.finished_at, now()) - r.started_at)) * 1000 AS duration_ms, r.applied_by, r.host, " +
        "(SELECT count(*) FROM safemigrations.migrations m WHERE m.run_id = r.run_id AND m.outcome = 'applied') AS migrations_applied, " +
        "(SELECT count(*) FROM safemigrations.migrations m WHERE m.run_id = r.run_id AND m.outcome <> 'applied') AS migrations_failed, " +
        "(SELECT coalesce(sum(s.retries), 0) FROM safemigrations.statements s WHERE s.run_id = r.run_id) AS retries, " +
        "(SELECT coalesce(sum(s.lock_wait_ms), 0) FROM safemigrations.statements s WHERE s.run_id = r.run_id) AS lock_wait_ms, " +
        "(SELECT count(*) FROM safemigrations.pauses p WHERE p.run_id = r.run_id) AS pauses, " +
        "(SELECT coalesce(sum(p.duration_ms), 0) FROM safemigrations.pauses p WHERE p.run_id = r.run_id) AS paused_ms " +
        "FROM safemigrations.runs r;";

    public static readonly string RecordPause =
        "INSERT INTO safemigrations.pauses (run_id, migration_id, started_at, duration_ms, reason) VALUES (@run, @migration, @started, @duration, @reason)";

    public static readonly string StartRun =
        "INSERT INTO safemigrations.runs (run_id, started_at, command, target, phase, applied_by, host, tool_version, outcome) " +
        "VALUES (@run, now(), @command, @target, @phase, @by, @host, @version, 'running')";

    public static readonly string FinishRun = "UPDATE safemigrations.runs SET finished_at = now(), outcome = @outcome, error = @error WHERE run_id = @run";

    public static readonly string RecordMigration =
        "INSERT INTO safemigrations.migrations (run_id, migration_id, direction, checksum, product_version, started_at, duration_ms, outcome, error, failing_statement) " +
        "VALUES (@run, @migration, @direction, @checksum, @product, @started, @duration, @outcome, @error, @failing)";

    public static readonly string RecordStatement =
        "INSERT INTO safemigrations.statements (run_id, migration_id, direction, ordinal, sql, in_transaction, started_at, duration_ms, lock_wait_ms, retries, outcome, error) " +
        "VALUES (@run, @migration, @direction, @ordinal, @sql, @tx, @started, @duration, @wait, @retries, @outcome, @error)";

    /// <summary>The checksum each migration was last applied with: its latest successful step, if that step went up.</summary>
    public static readonly string AppliedChecksums =
        "SELECT migration_id, checksum, product_version FROM (" +
        "SELECT DISTINCT ON (migration_id) migration_id, direction, checksum, product_version FROM safemigrations.migrations " +
        "WHERE outcome = 'applied' ORDER BY migration_id, started_at DESC) latest WHERE direction = 'up'";

    public static readonly string ReadProgress = "SELECT checksum, completed_steps FROM safemigrations.progress WHERE migration_id = @migration";

    public static readonly string SaveProgress =
        "INSERT INTO safemigrations.progress (migration_id, checksum, completed_steps, updated_at) VALUES (@migration, @checksum, @steps, now()) " +
        "ON CONFLICT (migration_id) DO UPDATE SET checksum = excluded.checksum, completed_steps = excluded.completed_steps, updated_at = now()";

    /// <summary>A migration finished: its step progress and its backfills' cursors go, in the transaction of its last step.</summary>
    public static readonly string ClearProgress = "DELETE FROM safemigrations.progress WHERE migration_id = @migration; DELETE FROM safemigrations.backfills WHERE migration_id = @migration";

    /// <summary>
    /// The audit trail, newest first: one row per migration step with its run, its statements' retries and lock waits, and the
    /// throttle's pauses in it (0 where the pauses table predates this version: <paramref name="withPauses"/> false).
    /// </summary>
    public static string History(bool withPauses) =>
        "SELECT r.run_id, r.command, r.applied_by, r.host, r.tool_version, m.migration_id, m.direction, m.checksum, m.started_at, m.duration_ms, m.outcome, m.error, m.failing_statement, " +
        "(SELECT count(*) FROM safemigrations.statements s WHERE s.run_id = m.run_id AND s.migration_id = m.migration_id AND s.direction = m.direction), " +
        "(SELECT coalesce(sum(s.retries), 0) FROM safemigrations.statements s WHERE s.run_id = m.run_id AND s.migration_id = m.migration_id AND s.direction = m.direction), " +
        "(SELECT coalesce(sum(s.lock_wait_ms), 0) FROM safemigrations.statements s WHERE s.run_id = m.run_id AND s.migration_id = m.migration_id AND s.direction = m.direction), " +
        (withPauses
            ? "(SELECT count(*) FROM safemigrations.pauses p WHERE p.run_id = m.run_id AND p.migration_id = m.migration_id), " +
              "(SELECT coalesce(sum(p.duration_ms), 0)::float8 FROM safemigrations.pauses p WHERE p.run_id = m.run_id AND p.migration_id = m.migration_id) "
            : "0::bigint, 0::float8 ") +
        "FROM safemigrations.migrations m JOIN safemigrations.runs r ON r.run_id = m.run_id ORDER BY m.started_at DESC LIMIT @limit";

    /// <summary>Whether the throttle's pauses table exists (a database the runner last touched before it came has none).</summary>
    public static readonly string PausesExist = "SELECT to_regclass('safemigrations.pauses') IS NOT NULL";

    public static readonly string Exists = "SELECT to_regclass('safemigrations.migrations') IS NOT NULL";
}
