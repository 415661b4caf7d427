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

/// <summary>Expand/contract phase, declared by the developer on the migration.</summary>
public enum MigrationPhase
{
    None,
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

    /// <summary>The developer declared that this migration cannot be rolled back (not an SM1020 finding).</summary>
    public bool IsDeclaredIrreversible { get; init; }

    public MigrationPhase Phase { get; init; }

    public IReadOnlyList<Suppression> Suppressions { get; init; } = [];

    /// <summary>The migration class, for migration-level findings.</summary>
    public SourceLocation? Location { get; init; }
}
