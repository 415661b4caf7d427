using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SafeMigrations.Core.Runner;

/// <summary>What the database is going through, sampled between a backfill's batches (<see cref="LoadSql.Sample"/>).</summary>
/// <param name="LockWaiters">Other sessions of the database waiting for a lock (a row, a table, another transaction).</param>
/// <param name="ActiveSessions">Other client sessions running a query now.</param>
/// <param name="ReplicaLagMs">The largest replay lag of a streaming replica; null without replicas (or without the right to see it).</param>
public sealed record DatabaseLoad(long LockWaiters, long ActiveSessions, double? ReplicaLagMs);

/// <summary>
/// When the runner pauses its own background work (a batched backfill between batches; the next statement of a
/// step outside a transaction, such as a concurrent index build) because the application is suffering: sessions
/// queue on locks, too many run at once, or replicas fall behind. A null limit is not checked. The defaults stop a
/// backfill from adding to a pile-up, and let an ordinary busy application through.
/// </summary>
public sealed record ThrottleLimits
{
    /// <summary>Pause while at least this many other sessions wait for a lock (default 5).</summary>
    public int? LockWaiters { get; init; } = 5;

    /// <summary>Pause while at least this many other sessions are active (default none: it depends on the server's cores).</summary>
    public int? ActiveSessions { get; init; }

    /// <summary>Pause while a replica's replay lag is at least this long (default 10 s).</summary>
    public TimeSpan? ReplicaLag { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a paused run samples again (default 1 s).</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest one pause may last before the step fails (default 15 min): the backfill's cursor is kept, so
    /// applying again resumes it once the load is gone.
    /// </summary>
    public TimeSpan MaxPause { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>No throttling at all.</summary>
    public static ThrottleLimits Off { get; } = new() { LockWaiters = null, ActiveSessions = null, ReplicaLag = null };

    public bool IsOff => LockWaiters is null && ActiveSessions is null && ReplicaLag is null;

    /// <summary>
    /// Reads the command line's form: "off", or limits to change from the defaults, comma-separated:
    /// "lock-waiters=3,active=40,replica-lag=5s,max-pause=10m": counts of at least 1; durations with a unit (ms, s, m)
    /// or without one (replica-lag in milliseconds, max-pause in seconds); a value "off" for no limit.
    /// </summary>
    public static ThrottleLimits Parse(string text)
    {
        if (string.Equals(text?.Trim(), "off", StringComparison.OrdinalIgnoreCase))
        {
            return Off;
        }

        var limits = new ThrottleLimits();
        foreach (var part in (text ?? string.Empty).Split(',').Where(p => p.Trim().Length > 0))
        {
            var pair = part.Split('=');
            var name = pair[0].Trim().ToLowerInvariant();
            var value = pair.Length == 2 ? pair[1].Trim() : throw Invalid(part, "name=value");
            var off = string.Equals(value, "off", StringComparison.OrdinalIgnoreCase);
            limits = name switch
            {
                "lock-waiters" => limits with { LockWaiters = off ? null : Count(part, value) },
                "active" => limits with { ActiveSessions = off ? null : Count(part, value) },
                "replica-lag" => limits with { ReplicaLag = off ? null : Duration(part, value, TimeSpan.FromMilliseconds(1)) },
                "max-pause" when !off => limits with { MaxPause = Duration(part, value, TimeSpan.FromSeconds(1)) },
                "max-pause" => throw Invalid(part, "max-pause cannot be off: give the longest pause, such as max-pause=15m"),
                _ => throw Invalid(part, "a limit named lock-waiters, active, replica-lag or max-pause"),
            };
        }

        return limits;
    }

    private static int Count(string part, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 ? number : throw Invalid(part, "a count of at least 1, or off");

    /// <summary>A whole number with an optional unit (ms, s, m or min); without one, in <paramref name="unit"/>.</summary>
    private static TimeSpan Duration(string part, string value, TimeSpan unit)
    {
        var digits = new string(value.TakeWhile(char.IsDigit).ToArray());
        var suffix = value.Substring(digits.Length).Trim().ToLowerInvariant();
        var scale = suffix switch
        {
            "" => unit,
            "ms" => TimeSpan.FromMilliseconds(1),
            "s" => TimeSpan.FromSeconds(1),
            "m" or "min" => TimeSpan.FromMinutes(1),
            _ => (TimeSpan?)null,
        };
        return scale is { } s && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? TimeSpan.FromTicks(s.Ticks * number)
            : throw Invalid(part, $"a duration such as 500ms, 5s or 10m (a bare number is {(unit == TimeSpan.FromSeconds(1) ? "seconds" : "milliseconds")})");
    }

    private static FormatException Invalid(string part, string wanted) =>
        new($"--throttle {part.Trim()}: expected {wanted}. The form: off, or lock-waiters=N, active=N, replica-lag=<duration>, max-pause=<duration>, comma-separated (a limit other than max-pause may be off).");

    /// <summary>Why the load is too high to go on ("7 sessions wait for locks (limit 5)"); null when it is not.</summary>
    public string? Exceeded(DatabaseLoad load)
    {
        if (load is null)
        {
            throw new ArgumentNullException(nameof(load));
        }

        var reasons = new List<string>();
        if (LockWaiters is { } waiters && load.LockWaiters >= waiters)
        {
            reasons.Add(string.Format(CultureInfo.InvariantCulture, "{0} session(s) wait for locks (limit {1})", load.LockWaiters, waiters));
        }

        if (ActiveSessions is { } active && load.ActiveSessions >= active)
        {
            reasons.Add(string.Format(CultureInfo.InvariantCulture, "{0} session(s) active (limit {1})", load.ActiveSessions, active));
        }

        if (ReplicaLag is { } lag && load.ReplicaLagMs is { } replica && replica >= lag.TotalMilliseconds)
        {
            reasons.Add(string.Format(CultureInfo.InvariantCulture, "a replica is {0:0} ms behind (limit {1:0} ms)", replica, lag.TotalMilliseconds));
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }
}

/// <summary>The queries behind <see cref="ThrottleLimits"/>: one sample of the load, taken by the migration's own session (excluded).</summary>
public static class LoadSql
{
    /// <summary>Columns: lock waiters, active client sessions, largest replica replay lag in ms (NULL without replicas).</summary>
    public static readonly string Sample =
        "SELECT " +
        "(SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'), " +
        "(SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND backend_type = 'client backend'), " +
        "(SELECT max(extract(epoch FROM replay_lag) * 1000)::float8 FROM pg_stat_replication)";
}
