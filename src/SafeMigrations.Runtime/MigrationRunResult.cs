using SafeMigrations.Core.Model;
namespace SafeMigrations.Runtime;

/// <summary>What a run did: each migration step, and notes worth reading (unvalidated constraints, accepted checksums, …).</summary>
public sealed record MigrationRunResult(Guid RunId, IReadOnlyList<MigrationStepResult> Steps, IReadOnlyList<string> Notes)
{
    /// <summary>Migrations that were pending when the run started but not applied (a phase or target stopped before them).</summary>
    public IReadOnlyList<string> Remaining { get; init; } = [];

    /// <summary>The longest any batched backfill's batch held its row locks (zero without backfills).</summary>
    public TimeSpan LongestBackfillBatch { get; init; }
}

/// <summary>One migration applied (Up) or reverted (Down).</summary>
public sealed record MigrationStepResult(string MigrationId, MigrationDirection Direction, MigrationPhase Phase, TimeSpan Duration, int Statements, int Retries, TimeSpan LockWait)
{
    /// <summary>The SQL, for dry runs.</summary>
    public IReadOnlyList<string> Sql { get; init; } = [];
}

public enum MigrationDirection
{
    Up,
    Down,
}
