using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Verify;

/// <summary>A table of the database verify scales to: its rows (pg_class.reltuples) and total size.</summary>
public sealed record LiveTable(TableName Table, long Rows, long Bytes);

/// <summary>
/// A statement's cost on a production-size table, extrapolated linearly from the shadow: the time its lock was held
/// there times the live table's rows over the seeded ones. Scans, rewrites and index builds grow with the rows; this
/// is an estimate of their order, said as such.
/// </summary>
public sealed record Impact(TableName Table, long Rows, long Bytes, LockLevel Lock, bool Rewrite, double EstimatedHeldMs)
{
    /// <summary>The impact of the statement's strongest lock on an existing table; null when no table it locked is known live or seeded.</summary>
    public static Impact? Of(ObservedStatement statement, IReadOnlyDictionary<TableName, long> seeded, IReadOnlyDictionary<TableName, LiveTable> live)
    {
        if (statement is null || seeded is null || live is null)
        {
            return null;
        }

        var strongest = statement.Locks
            .Where(l => seeded.TryGetValue(l.Table, out var rows) && rows > 0 && live.ContainsKey(l.Table))
            .OrderByDescending(l => l.Level)
            .FirstOrDefault();
        if (strongest is null)
        {
            return null;
        }

        var table = live[strongest.Table];
        var factor = (double)table.Rows / seeded[strongest.Table];
        var rewrite = statement.Rewritten.Contains(strongest.Table.DisplayName);
        return new Impact(strongest.Table, table.Rows, table.Bytes, strongest.Level, rewrite, statement.HeldMs * Math.Max(factor, 1));
    }

    /// <summary>"rewrites orders (48 M rows, 3.1 GB): ~6 min under ACCESS EXCLUSIVE, which blocks reads and writes".</summary>
    public string Describe() =>
        $"{(Rewrite ? "rewrites" : "locks")} {Table.DisplayName} ({Sizes(Rows, Bytes)}): ~{VerifyJudge.Ms(EstimatedHeldMs)} under {Lock.SqlName()}, which {Lock.Effect()}";

    /// <summary>"48 M rows, 3.1 GB".</summary>
    public static string Sizes(long rows, long bytes) => $"{Count(rows)} rows, {Size(bytes)}";

    private static string Count(long rows) => rows switch
    {
        >= 1_000_000_000 => (rows / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + " G",
        >= 1_000_000 => (rows / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + " M",
        >= 10_000 => (rows / 1e3).ToString("0", CultureInfo.InvariantCulture) + " k",
        _ => rows.ToString(CultureInfo.InvariantCulture),
    };

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " kB",
    };
}
