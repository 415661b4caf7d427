using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Verify;

/// <summary>A request of the application verify imitates while migrations run: a read or a write of one table.</summary>
public enum ProbeKind
{
    Read,
    Write,
}

/// <summary>How a probe request ended.</summary>
public enum ProbeOutcome
{
    /// <summary>It got its lock (after waiting <see cref="ProbeSample.Ms"/>).</summary>
    Served,

    /// <summary>It waited <see cref="ApplicationProbes.GiveUpAfter"/> and gave up: a request of the application would have timed out.</summary>
    GaveUp,

    /// <summary>Its table was gone (renamed or dropped): a request of the previous release would have failed.</summary>
    Failed,
}

/// <summary>One probe request: which table, read or write, when it was sent (ms on the observer's clock), how long it waited, how it ended.</summary>
public sealed record ProbeSample(string MigrationId, TableName Table, ProbeKind Kind, double AtMs, double Ms, ProbeOutcome Outcome)
{
    public double EndMs => AtMs + Ms;
}

/// <summary>
/// What `safemig verify` measures of the application while migrations run on the shadow: on each of the largest existing
/// tables, a read and a write loop, each request in a transaction of its own that takes the table lock the application's
/// statement takes (a SELECT: ACCESS SHARE; an INSERT, UPDATE or DELETE: ROW EXCLUSIVE) and rolls back. How long a request
/// waited is how long the migration would have stalled that request of the application; rows and CPU cost aside.
/// </summary>
public static class ApplicationProbes
{
    /// <summary>How many tables are probed, the largest first: each costs two connections.</summary>
    public const int MaxTables = 6;

    /// <summary>The pause between two requests of one loop.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>A request waits at most this long (its lock_timeout), as an application's command timeout would.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    /// <summary>The table lock a request of this kind takes.</summary>
    public static LockLevel Lock(this ProbeKind kind) => kind == ProbeKind.Read ? LockLevel.AccessShare : LockLevel.RowExclusive;

    /// <summary>The statements of one request, run in a transaction that is then rolled back.</summary>
    public static string Request(TableName table, ProbeKind kind) =>
        "SET LOCAL lock_timeout = '" + (int)GiveUpAfter.TotalMilliseconds + "ms'; LOCK TABLE " + Runner.RunnerSql.Qualified(table.Schema, table.Name) + " IN " + kind.Lock().SqlName() + " MODE";

    /// <summary>
    /// The longest a request of <paramref name="kind"/> was stalled while <paramref name="statement"/> held its locks: the part
    /// of each request's wait inside the statement's window (from its start until its locks were released); 0 when none waited.
    /// </summary>
    public static double LongestWait(IEnumerable<ProbeSample> samples, ObservedStatement statement, ProbeKind kind) =>
        samples.Where(p => p.Kind == kind && p.Outcome != ProbeOutcome.Failed)
            .Select(p => Math.Min(p.EndMs, statement.HeldUntilMs) - Math.Max(p.AtMs, statement.StartMs))
            .Where(overlap => overlap > 0)
            .DefaultIfEmpty(0)
            .Max();

    /// <summary>
    /// The samples to keep for a report: per migration, table, kind and <paramref name="bucketMs"/> window, the one that waited
    /// longest, and every request that gave up or failed.
    /// </summary>
    public static IReadOnlyList<ProbeSample> Condensed(IEnumerable<ProbeSample> samples, double bucketMs) =>
        samples.GroupBy(p => (p.MigrationId, p.Table, p.Kind, Window: Math.Floor(p.AtMs / bucketMs)))
            .SelectMany(g => g.Where(p => p.Outcome != ProbeOutcome.Served).Concat(g.Where(p => p.Outcome == ProbeOutcome.Served).OrderByDescending(p => p.Ms).Take(1)))
            .OrderBy(p => p.AtMs)
            .ToList();
}
