namespace SafeMigrations.RuleExamples.Tests;

/// <summary>What running one migration did to the tables that existed before it (the populated ones).</summary>
internal sealed record Observation
{
    /// <summary>The strongest table lock held on an existing table inside the migration's transaction(s); null for none.</summary>
    public string? StrongestLock { get; init; }

    public string? LockedTable { get; init; }

    /// <summary>A statement read an existing table row by row inside the migration's transaction(s).</summary>
    public bool Scanned { get; init; }

    /// <summary>A statement read an existing table row by row while the transaction held a lock on it that blocks writes.</summary>
    public bool ScannedWhileBlockingWrites { get; init; }

    /// <summary>An existing table got a new storage file: rewritten.</summary>
    public bool Rewritten { get; init; }

    /// <summary>The SQLSTATE and message when the migration failed (or EF could not even generate its SQL).</summary>
    public string? Failure { get; init; }

    public bool Failed => Failure is not null;

    /// <summary>It failed after part of it was committed: the schema is no longer what it was.</summary>
    public bool HalfApplied { get; init; }

    /// <summary>Values of existing columns differ after the migration.</summary>
    public bool ChangedRows { get; init; }

    /// <summary>An existing column or table is gone (not renamed).</summary>
    public bool DeletedData { get; init; }

    /// <summary>Why the previous release's reads or writes fail afterwards; null when they work.</summary>
    public string? PreviousReleaseBreak { get; init; }

    public IReadOnlyList<string> Sql { get; init; } = [];

    public override string ToString() =>
        $"lock={StrongestLock ?? "none"}{(LockedTable is null ? string.Empty : " on " + LockedTable)} scanned={Scanned} scannedWhileBlockingWrites={ScannedWhileBlockingWrites} rewritten={Rewritten} failed={Failure ?? "no"} halfApplied={HalfApplied} changedRows={ChangedRows} deletedData={DeletedData} previousRelease={PreviousReleaseBreak ?? "works"}\nSQL:\n" + string.Join("\n", Sql);
}
