namespace SafeMigrations.Runtime;

/// <summary>What the runner is doing, for progress bars and logs.</summary>
public sealed record MigrationProgress(MigrationProgressKind Kind, string MigrationId, int Index, int Total)
{
    /// <summary>The statement (for statement events), or what the event is about.</summary>
    public string? Detail { get; init; }

    public TimeSpan? Elapsed { get; init; }

    /// <summary>For backfills: rows done so far.</summary>
    public long? Rows { get; init; }

    /// <summary>For backfills: PostgreSQL's estimate of the table's rows (no scan), for a progress bar.</summary>
    public long? RowsEstimate { get; init; }
}

public enum MigrationProgressKind
{
    MigrationStarted,
    StatementStarted,
    StatementFinished,
    Retrying,
    MigrationFinished,
    RollingBack,
    Backfilled,

    /// <summary>Background work (a backfill, a concurrent build) waits: the application is suffering (<see cref="SafeMigrationOptions.Throttle"/>). Detail says why.</summary>
    Paused,

    /// <summary>The load that paused it is gone; Elapsed is how long it waited.</summary>
    Resumed,

    /// <summary>A backfill an earlier run stopped goes on after its saved cursor; Rows is what that run had done.</summary>
    BackfillResumed,
}
