using Npgsql;

namespace SafeMigrations.Runtime;

/// <summary>Why a step failed in a way a later try can fix.</summary>
internal enum RetryReason
{
    LockTimeout,
    Deadlock,
    Watchdog,
}

internal static class RetryReasons
{
    /// <summary>The reason a statement failed that a retry may fix, from PostgreSQL's SQLSTATE; null when a retry would not help.</summary>
    public static RetryReason? Of(PostgresException e, bool watchdogCancelled) => e.SqlState switch
    {
        PostgresErrorCodes.LockNotAvailable => RetryReason.LockTimeout,
        PostgresErrorCodes.DeadlockDetected => RetryReason.Deadlock,
        PostgresErrorCodes.QueryCanceled when watchdogCancelled => RetryReason.Watchdog,
        _ => null,
    };

    public static string Describe(RetryReason reason) => reason switch
    {
        RetryReason.LockTimeout => "lock timeout",
        RetryReason.Deadlock => "deadlock",
        _ => "watchdog",
    };
}

/// <summary>A step failed in a way a later try can fix: a lock timeout, a deadlock, or the watchdog's cancel.</summary>
internal sealed class RetryableStepException(RetryReason reason, int ordinal, string statement, BlockingSession? blocker, Exception inner)
    : Exception($"{RetryReasons.Describe(reason)}: {inner.Message}", inner)
{
    public RetryReason Reason { get; } = reason;

    public int Ordinal { get; } = ordinal;

    public string Statement { get; } = statement;

    public BlockingSession? Blocker { get; } = blocker;
}
