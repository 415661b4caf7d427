using System.Collections.Generic;

namespace SafeMigrations.Core.Model;

/// <summary>What is known of a migration's Down method.</summary>
public enum DownState
{
    /// <summary>Down has operations.</summary>
    Present,

    /// <summary>Down is not overridden.</summary>
    Missing,

    /// <summary>Down is overridden and does nothing.</summary>
    Empty,

    /// <summary>Down throws (NotSupportedException and the like).</summary>
    Throws,

    /// <summary>The front end did not look at Down.</summary>
    Unknown,
}

/// <summary>
/// Rolling deploys in two phases: expand migrations (additive: the previous release keeps working) run before the
/// new release rolls out, contract migrations (what removes or tightens something the previous release uses) after
/// every instance runs it. <see cref="Analysis.MigrationPhases"/> decides which a migration is.
/// </summary>
public enum MigrationPhase
{
    Expand,
    Contract,
}

/// <summary>A developer's decision that a finding is acceptable here, with the reason why.</summary>
public sealed record Suppression(string RuleId, string? Justification, SourceLocation? Location = null)
{
    /// <summary>What the code fix writes: it does not count as a justification until the developer replaces it.</summary>
    public const string JustificationPlaceholder = "TODO: say why this is safe";

    public bool IsJustified =>
        !string.IsNullOrWhiteSpace(Justification)
        && !string.Equals(Justification!.Trim(), JustificationPlaceholder, System.StringComparison.OrdinalIgnoreCase);
}

/// <summary>A migration as the rules see it: its id, its Up operations, and the facts about Down.</summary>
public sealed record MigrationDefinition(string Id, IReadOnlyList<SchemaChange> UpOperations)
{
    public IReadOnlyList<SchemaChange> DownOperations { get; init; } = [];

    public DownState DownState { get; init; } = DownState.Unknown;

    /// <summary>Why Down throws, when <see cref="DownState"/> is <see cref="DownState.Throws"/> and the front end ran it.</summary>
    public string? DownFailure { get; init; }

    /// <summary>Marked [ContractMigration]: the developer says this is the contract step of an expand/contract change.</summary>
    public bool IsContractStep { get; init; }

    public IReadOnlyList<Suppression> Suppressions { get; init; } = [];

    /// <summary>
    /// Marked [DeclineBackup] with this justification: the runner backs up nothing the migration drops (data that must
    /// not live on). Null when not marked, or marked without a justification (then it is backed up as usual).
    /// </summary>
    public string? BackupDeclined { get; init; }

    /// <summary>The DbContext the migration belongs to (its [DbContext]), for the commands findings name; null when unknown.</summary>
    public string? ContextName { get; init; }

    /// <summary>The migration class, for migration-level findings.</summary>
    public SourceLocation? Location { get; init; }
}
