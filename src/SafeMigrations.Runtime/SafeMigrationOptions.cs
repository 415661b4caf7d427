using SafeMigrations.Core.Runner;
using Microsoft.Extensions.Logging;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Runtime;

/// <summary>
/// How the runner applies migrations. The defaults suit a live OLTP database: DDL waits at most half a
/// second for its lock (every query on the table queues behind a waiting ALTER), then backs off and tries
/// again, ten times, before it gives up and names the session in its way (SM4001).
/// </summary>
public sealed record SafeMigrationOptions
{
    /// <summary>The advisory lock that keeps runners apart, and how long to wait for it.</summary>
    public MigrationLockOptions Lock { get; init; } = new();

    /// <summary>
    /// lock_timeout for DDL that conflicts with the application (ALTER TABLE, CREATE INDEX, DROP …). While it
    /// waits, every later query on the table waits behind it, so this is the longest stall the application
    /// sees. 500 ms is pgroll's default; strong_migrations suggests 10 s but leaves retrying to the developer.
    /// With retries a short wait costs nothing: the statement simply tries again a moment later.
    /// </summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>statement_timeout for DDL: it holds its lock while it runs, so a statement that rewrites a table is stopped, not left to block.</summary>
    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>lock_timeout for work the application runs beside (concurrent index builds, VALIDATE CONSTRAINT, data updates).</summary>
    public TimeSpan LongRunningLockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>statement_timeout for concurrent index builds, validations and data updates: long, they block nobody.</summary>
    public TimeSpan LongRunningStatementTimeout { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Retries of a step that hit its lock timeout, a deadlock or the watchdog; then SM4001 (or SM4007).</summary>
    public int MaxRetries { get; init; } = 10;

    /// <summary>The first pause before a retry; it doubles with jitter up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a statement may keep application queries waiting behind it before the watchdog cancels it
    /// and retries later (SM4007 when retries run out). <see cref="TimeSpan.Zero"/> turns the watchdog off.
    /// </summary>
    public TimeSpan WatchdogBudget { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a running statement's locks are looked at (pg_stat_activity, pg_blocking_pids).</summary>
    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Apply up to and including this migration (id or name); null applies all.</summary>
    public string? TargetMigration { get; init; }

    /// <summary>For rolling deploys: apply only the leading migrations of this phase (null: all).</summary>
    public MigrationPhase? Phase { get; init; }

    /// <summary>Apply a migration that sorts before one already applied (it was merged after a later one was deployed).</summary>
    public bool AllowOutOfOrder { get; init; }

    /// <summary>
    /// Migrations of the app's other DbContexts. Contexts in one database share EF's history table, so their rows
    /// are there too: they are not this context's, and not reported as applied by an unknown release.
    /// </summary>
    public IReadOnlySet<string> MigrationsOfOtherContexts { get; init; } = new HashSet<string>();

    /// <summary>Accept applied migrations whose SQL changed (SM4004), e.g. after an EF Core upgrade, recording the new checksums.</summary>
    public bool AcceptChecksumChanges { get; init; }

    /// <summary>Plan only: report what would run, change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>When an integrity check or the health probe fails, run Down for this run's migrations (when every one is reversible).</summary>
    public bool RollbackOnFailure { get; init; } = true;

    /// <summary>Checks run before the first migration and after each one; a failure is SM4002.</summary>
    public IList<IntegrityCheck> IntegrityChecks { get; init; } = [];

    /// <summary>Asked after the run: false (or an exception) rolls the run back like a failed check.</summary>
    public Func<CancellationToken, Task<bool>>? HealthProbe { get; init; }

    /// <summary>Copy what a destructive step destroys (dropped columns and tables) into the backup schema first.</summary>
    public bool BackupBeforeDestruction { get; init; } = true;

    /// <summary>Backups older than this are dropped at the start of a run.</summary>
    public TimeSpan BackupRetention { get; init; } = TimeSpan.FromDays(30);

    public IProgress<MigrationProgress>? Progress { get; init; }

    /// <summary>
    /// When background work pauses for the application: between a backfill's batches, and before a statement outside a
    /// transaction (a concurrent index build), the runner samples the database and waits while sessions queue on locks,
    /// too many are active, or a replica lags (<see cref="ThrottleLimits"/>; <see cref="ThrottleLimits.Off"/> never waits).
    /// </summary>
    public ThrottleLimits Throttle { get; init; } = new();

    /// <summary>Observes each statement's locks, rewrites and timing (safemig verify, on a shadow database only).</summary>
    public StatementObserver? Observer { get; init; }

    public ILogger? Logger { get; init; }

    /// <summary>Who applies the migrations, for the audit trail (default: the OS user).</summary>
    public string AppliedBy { get; init; } = Environment.UserName;

    /// <summary>The command recorded in the audit trail (apply, rollback, startup, …).</summary>
    public string Command { get; init; } = "apply";
}
