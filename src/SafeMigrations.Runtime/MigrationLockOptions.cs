namespace SafeMigrations.Runtime;

/// <summary>How a runner waits for the advisory lock that keeps runners apart.</summary>
public sealed record MigrationLockOptions
{
    /// <summary>The advisory lock key; runners of one database must agree on it.</summary>
    public long Key { get; init; } = Core.Postgres.AdvisoryLockSql.DefaultKey;

    /// <summary>How long to wait for another runner before giving up (default 10 minutes: a long concurrent index build).</summary>
    public TimeSpan WaitBudget { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The first pause between tries; it doubles, with jitter, up to <see cref="MaxPollInterval"/>.</summary>
    public TimeSpan FirstPollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The lock session's application_name, which waiting runners and pg_stat_activity show.</summary>
    public string? ApplicationName { get; init; }
}
