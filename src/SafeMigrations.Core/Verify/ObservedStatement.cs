using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Verify;

/// <summary>A lock PostgreSQL granted on a table that existed before the verified migrations ran.</summary>
public sealed record ObservedLock(TableName Table, LockLevel Level);

/// <summary>A wait event of the statement's backend (pg_stat_activity: "Lock", "virtualxid") and about how long it lasted.</summary>
public sealed record ObservedWait(string Type, string Event, double Ms)
{
    public override string ToString() => $"{Type}: {Event} ~{VerifyJudge.Ms(Ms)}";
}

/// <summary>
/// One statement as `safemig verify` saw it run on the shadow database: when it started and how long it took
/// (milliseconds from the start of the observed run), until when its locks were held (its transaction's end,
/// or its own end outside a transaction), the strongest lock it held on each existing table, the existing
/// tables and indexes it gave a new storage file (a rewrite), and the tables it read row by row.
/// </summary>
public sealed record ObservedStatement(string MigrationId, string Sql, bool InTransaction)
{
    public double StartMs { get; init; }

    public double DurationMs { get; init; }

    public double HeldUntilMs { get; init; }

    public IReadOnlyList<ObservedLock> Locks { get; init; } = [];

    public IReadOnlyList<string> Rewritten { get; init; } = [];

    public IReadOnlyList<TableName> Scanned { get; init; } = [];

    /// <summary>
    /// What the statement waited for while it ran, sampled from pg_stat_activity (a lock, another transaction, I/O):
    /// "Lock: virtualxid" with about how long, longest first. Sampled only for statements outside a transaction.
    /// </summary>
    public IReadOnlyList<ObservedWait> Waits { get; init; } = [];

    /// <summary>What the statement would cost on the database verify scaled to (--from): null without one.</summary>
    public Impact? Impact { get; init; }

    /// <summary>How long the statement's locks blocked others at most: from its start until they were released.</summary>
    public double HeldMs => HeldUntilMs - StartMs;

    /// <summary>The strongest lock observed on <paramref name="table"/>; None when it took none.</summary>
    public LockLevel LockOn(TableName table) => Locks.Where(l => l.Table == table).Select(l => l.Level).DefaultIfEmpty(LockLevel.None).Max();

    /// <summary>
    /// Whether PostgreSQL took what Core claims: the claimed lock on every claimed table it was seen on. A claimed table
    /// not seen counts only outside a transaction (inside one, the table is new to the range or the transaction held
    /// the lock already); a statement claimed to lock nothing must lock nothing.
    /// </summary>
    public ClaimVerdict Verdict()
    {
        var claims = Claims();
        if (claims.Count == 0)
        {
            return Locks.Count == 0 ? ClaimVerdict.AsClaimed : ClaimVerdict.NotAsClaimed;
        }

        if (Locks.Count == 0 && InTransaction)
        {
            return ClaimVerdict.NothingToCompare;
        }

        return claims.All(c => Locks.Any(l => l.Table == c.Table) ? LockOn(c.Table) == c.Level : InTransaction) ? ClaimVerdict.AsClaimed : ClaimVerdict.NotAsClaimed;
    }

    /// <summary>What Core claims the statement locks (SqlPlan and LockCatalog): the strongest claim per table.</summary>
    public IReadOnlyList<ObservedLock> Claims() =>
        SqlPlan.Statements(Sql, InTransaction)
            .Where(p => p.Table is not null && p.Lock != LockLevel.None)
            .GroupBy(p => p.Table!.Value)
            .Select(g => new ObservedLock(g.Key, g.Max(p => p.Lock)))
            .ToList();
}

/// <summary>What an observed statement says of Core's lock claim.</summary>
public enum ClaimVerdict
{
    AsClaimed,
    NotAsClaimed,

    /// <summary>Inside a transaction and no lock on an existing table: a table the range creates, or a lock already held.</summary>
    NothingToCompare,
}

/// <summary>Up, Down and Up again on the shadow: what Down changed back, and whether the second Up ran.</summary>
/// <param name="LostByDown">Schema lines (columns, constraints, indexes) before the Up that the Down did not bring back.</param>
/// <param name="LeftByDown">Schema lines after the Down that were not there before the Up.</param>
public sealed record RoundTrip(IReadOnlyList<string> LostByDown, IReadOnlyList<string> LeftByDown, string? DownError, string? SecondUpError, IReadOnlyList<string> DownNotes)
{
    /// <summary>The newest migration whose Down did not give back the schema its Up started from.</summary>
    public string? FirstDifferent { get; init; }

    public bool SchemaRestored => LostByDown.Count == 0 && LeftByDown.Count == 0;
}
