using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules;

/// <summary>One reported problem: which rule, how severe, what and where.</summary>
public sealed record Finding(string RuleId, Severity Severity, string Message, string MigrationId, SourceLocation? Location)
{
    public TableName? Table { get; init; }

    public LockLevel Lock { get; init; }

    /// <summary>The raw SQL statement, when the finding comes from one.</summary>
    public string? Statement { get; init; }

    public override string ToString() =>
        (Location?.ToString() ?? MigrationId) + ": " + Severity.ToString().ToLowerInvariant() + " " + RuleId + ": " + Message;
}
