// The JSON the design host writes with --format json and SafeMigrations' front ends (the safemig CLI) read.
// This one file is compiled into both, so the two sides cannot drift apart.
#nullable enable
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafeMigrations.Design.Protocol;

internal sealed record HostOutput(
    string Command,
    string? EfCoreVersion,
    IReadOnlyList<ContextOutput> Contexts,
    IReadOnlyList<FindingOutput> Findings)
{
    /// <summary>apply, rollback, history and restore: what the runner did.</summary>
    public RunOutput? Run { get; init; }
}

internal sealed record RunOutput(
    string Command,
    string? Context,
    string? RunId,
    IReadOnlyList<RunStepOutput> Steps,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Remaining,
    RunErrorOutput? Error,
    IReadOnlyList<HistoryRowOutput> History,
    long? RowsRestored);

internal sealed record RunStepOutput(string MigrationId, string Direction, string Phase, double DurationMs, int Statements, int Retries, double LockWaitMs, IReadOnlyList<string> Sql);

internal sealed record RunErrorOutput(string RuleId, string Message, string? MigrationId, string? FailingStatement, bool RolledBack);

internal sealed record HistoryRowOutput(
    string RunId, string Command, string AppliedBy, string Host, string MigrationId, string Direction, string Checksum,
    System.DateTimeOffset StartedAt, double DurationMs, string Outcome, string? Error, long Statements, long Retries, double LockWaitMs);

internal sealed record ContextOutput(
    string Name,
    string FullName,
    string? Provider,
    bool IsPostgres,
    IReadOnlyList<MigrationOutput> Migrations,
    IReadOnlyList<PendingChangeOutput> PendingChanges,
    string? LockFile,
    string LockState,
    IReadOnlyList<string> WrittenFiles,
    IReadOnlyList<string> Notes,
    string? DatabaseError);

internal sealed record MigrationOutput(
    string Id,
    string? File,
    int? Line,
    string Checksum,
    bool? Applied,
    string Phase,
    IReadOnlyList<CommandOutput> Commands);

internal sealed record CommandOutput(string Sql, bool TransactionSuppressed, IReadOnlyList<StatementOutput> Statements);

/// <param name="NewTable">The table is created by the same migration: its lock blocks no one.</param>
internal sealed record StatementOutput(string Sql, string Description, string Lock, string LockEffect, string? Table, bool BlocksWrites, bool BlocksReads, bool NewTable);

internal sealed record PendingChangeOutput(string Description, string Severity, IReadOnlyList<string> RuleIds);

internal sealed record FindingOutput(
    string RuleId,
    string Severity,
    string Message,
    string? File,
    int? Line,
    int? Column,
    string? MigrationId,
    string? Context,
    string? HelpUri);

internal static class HostJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
