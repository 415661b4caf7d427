// The JSON the design host writes with --format json and SafeMigrations' front ends (the safemig CLI) read.
// This one file is compiled into both, so the two sides cannot drift apart.
#nullable enable
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Design.Protocol;

internal sealed record HostOutput(
    string Command,
    string? EfCoreVersion,
    IReadOnlyList<ContextOutput> Contexts,
    IReadOnlyList<FindingOutput> Findings)
{
    /// <summary>
    /// What the runner did: apply, rollback and restore one per context (in the order they ran, a context not run
    /// says why); history one for the database, its rows naming their context.
    /// </summary>
    public IReadOnlyList<RunOutput> Runs { get; init; } = [];
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
    long? RowsRestored)
{
    /// <summary>Why the runner did not run for this context (another context's migration was named, or an earlier context failed); null when it ran.</summary>
    public string? Skipped { get; init; }

    /// <summary>backups: the runner's backups of dropped data, newest first (after a purge, what is left).</summary>
    public IReadOnlyList<BackupOutput> Backups { get; init; } = [];

    /// <summary>backups --purge, --purge-older-than: how many backups were dropped; null when none was asked for.</summary>
    public int? BackupsPurged { get; init; }

    /// <summary>verify: what the migrations did on the shadow database.</summary>
    public VerifyOutput? Verify { get; init; }
}

/// <param name="Base">The migration the shadow was migrated to before seeding; null: none.</param>
/// <param name="Migrations">The migrations verified, in order.</param>
internal sealed record VerifyOutput(
    string? Base, IReadOnlyList<string> Migrations, int RowsPerTable, IReadOnlyDictionary<string, long> Seeded, IReadOnlyList<string> SeedNotes,
    IReadOnlyList<ObservedStatementOutput> Statements, RoundTripOutput? RoundTrip, double LockBudgetMs, string? UpError)
{
    /// <summary>
    /// The application probe's requests while the migrations ran (per table, read or write, and window the longest: every request of a short run, about 400 windows of a long one;
    /// and every one that gave up or failed): how long a read or write of each of the largest tables waited for its lock.
    /// </summary>
    public IReadOnlyList<ProbeOutput> Probes { get; init; } = [];
}

/// <param name="AtMs">When it was sent, on the statements' clock.</param>
/// <param name="Outcome">served, gaveup (waited the probe's 30 s lock_timeout) or failed (its table was gone).</param>
internal sealed record ProbeOutput(string MigrationId, string Table, string Kind, double AtMs, double Ms, string Outcome);

/// <param name="Claimed">What SafeMigrations claims the statement locks (Core's lock catalog); Observed, what PostgreSQL granted on existing tables.</param>
internal sealed record ObservedStatementOutput(
    string MigrationId, string Sql, bool InTransaction, double StartMs, double DurationMs, double HeldUntilMs,
    IReadOnlyList<LockOutput> Claimed, IReadOnlyList<LockOutput> Observed, IReadOnlyList<string> Rewritten, IReadOnlyList<string> Scanned)
{
    /// <summary>With --from: the statement's cost scaled to the live table ("rewrites orders (48 M rows, 3 GB): ~6 min under ACCESS EXCLUSIVE …").</summary>
    public string? Impact { get; init; }

    public double? EstimatedHeldMs { get; init; }

    /// <summary>What PostgreSQL did to Core's claim: "as claimed", "not as claimed", or "no existing table, or already held".</summary>
    public string Verdict { get; init; } = string.Empty;

    /// <summary>The claim held (or there was nothing to compare): Core's <c>ObservedStatement.Verdict</c>.</summary>
    public bool Agrees { get; init; }

    /// <summary>What it waited for while it ran, sampled ("Lock: virtualxid ~12 ms"), longest first.</summary>
    public IReadOnlyList<string> Waits { get; init; } = [];

    /// <summary>Its locks block reads of a table the application probe requests (ACCESS EXCLUSIVE).</summary>
    public bool ReadsBlocked { get; init; }

    /// <summary>The longest a probe's read of a table it blocked waited while it held the lock; null when not blocked, or no read came meanwhile.</summary>
    public double? ReadsWaitedMs { get; init; }

    /// <summary>Its locks block writes (SHARE or stronger; an INSERT, UPDATE or DELETE takes ROW EXCLUSIVE).</summary>
    public bool WritesBlocked { get; init; }

    /// <summary>The same as <see cref="ReadsWaitedMs"/> for writes.</summary>
    public double? WritesWaitedMs { get; init; }
}

internal sealed record LockOutput(string Table, string Lock);

internal sealed record RoundTripOutput(IReadOnlyList<string> LostByDown, IReadOnlyList<string> LeftByDown, string? DownError, string? SecondUpError, IReadOnlyList<string> DownNotes);

internal sealed record BackupOutput(string BackupTable, string MigrationId, string SourceSchema, string SourceTable, string? Column, string TakenBy, System.DateTimeOffset TakenAt, long Bytes, long Rows);

internal sealed record RunStepOutput(string MigrationId, string Direction, string Phase, double DurationMs, int Statements, int Retries, double LockWaitMs, IReadOnlyList<string> Sql);

internal sealed record RunErrorOutput(string RuleId, string Message, string? MigrationId, string? FailingStatement, bool RolledBack);

internal sealed record HistoryRowOutput(
    string RunId, string Command, string AppliedBy, string Host, string MigrationId, string Direction, string Checksum,
    System.DateTimeOffset StartedAt, double DurationMs, string Outcome, string? Error, long Statements, long Retries, double LockWaitMs)
{
    /// <summary>The context whose migration this is; null when no context of this build has it.</summary>
    public string? Context { get; init; }

    /// <summary>How often the throttle paused this step's background work (safemigrations.pauses), and for how long in all.</summary>
    public long Pauses { get; init; }

    public double PausedMs { get; init; }
}

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
internal sealed record StatementOutput(string Sql, string Description, string Lock, string LockEffect, string? Table, bool BlocksWrites, bool BlocksReads, bool NewTable)
{
    /// <summary>plan: the size of the table a write-blocking lock is taken on, in the planned database ("48 M rows, 3.1 GB").</summary>
    public string? LiveSize { get; init; }
}

internal sealed record PendingChangeOutput(string Description, Severity Severity, IReadOnlyList<string> RuleIds);

internal sealed record FindingOutput(
    string RuleId,
    Severity Severity,
    string Message,
    string? File,
    int? Line,
    int? Column,
    string? MigrationId,
    string? Context,
    string? HelpUri);

/// <summary>The exit codes of the host and of every safemig command, decided from the answer alone.</summary>
internal static class HostExitCodes
{
    public const int Clean = 0;
    public const int Findings = 1;
    public const int UsageOrLoadError = 2;

    /// <summary>
    /// The worst outcome of any context wins. 2: the app, a context, the database or the arguments could not be used
    /// (SM3004 not tied to a migration). 1: an error finding: a failed or refused migration, an unsafe one, a pending
    /// change (unless errors are reported as warnings). 0: nothing else.
    /// </summary>
    public static int Of(HostOutput output, bool errorsAsWarnings = false)
    {
        var errors = output.Findings.Where(f => f.Severity == Severity.Error).ToList();
        if (errors.Any(f => f.RuleId == "SM3004" && f.MigrationId is null))
        {
            return UsageOrLoadError;
        }

        return errors.Count > 0 && !errorsAsWarnings ? Findings : Clean;
    }
}

internal static class HostJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter() },
    };
}
