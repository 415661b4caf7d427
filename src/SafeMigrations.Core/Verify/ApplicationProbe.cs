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

/// <summary>How long a statement stalled a kind of request on the tables it blocks for it; <see cref="Ms"/> null: no request came while it held the lock.</summary>
public sealed record ProbeStall(double? Ms);

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
    /// The longest any request of <paramref name="kind"/> to <paramref name="table"/> waited between <paramref name="fromMs"/>
    /// and <paramref name="untilMs"/> (only the part of its wait inside that window); null when no such request was waiting then.
    /// </summary>
    public static double? WaitDuring(IEnumerable<ProbeSample> samples, TableName table, ProbeKind kind, double fromMs, double untilMs)
    {
        var overlaps = samples.Where(p => p.Kind == kind && p.Table == table && p.Outcome != ProbeOutcome.Failed)
            .Select(p => Math.Min(p.EndMs, untilMs) - Math.Max(p.AtMs, fromMs))
            .Where(overlap => overlap > 0)
            .ToList();
        return overlaps.Count == 0 ? null : overlaps.Max();
    }

    /// <summary>
    /// How long the statement stalled the application's requests of <paramref name="kind"/>: null when its locks block no such
    /// request (Core's <see cref="LockLevels.BlocksReads"/> and <see cref="LockLevels.BlocksWrites"/>, which ApplicationProbeTests
    /// checks against the probe); else the longest wait of a request to a table it blocks, inside its lock window, with
    /// <see cref="ProbeStall.Ms"/> null when no request arrived while it held the lock.
    /// </summary>
    public static ProbeStall? Stall(IEnumerable<ProbeSample> samples, ObservedStatement statement, ProbeKind kind)
    {
        if (statement is null)
        {
            throw new ArgumentNullException(nameof(statement));
        }

        var blocked = statement.Locks.Where(l => kind == ProbeKind.Read ? l.Level.BlocksReads() : l.Level.BlocksWrites()).Select(l => l.Table).Distinct().ToList();
        if (blocked.Count == 0)
        {
            return null;
        }

        var list = samples.ToList();
        var waits = blocked.Select(table => WaitDuring(list, table, kind, statement.StartMs, statement.HeldUntilMs)).Where(w => w is not null).ToList();
        return new ProbeStall(waits.Count == 0 ? null : waits.Max());
    }

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
