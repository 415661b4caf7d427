using Microsoft.Extensions.Logging;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Runtime;

internal static partial class RunnerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Waiting for the migration lock held by {Holder}")]
    public static partial void WaitingForLock(ILogger logger, LockHolder holder);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Took the migration lock (backend pid {ProcessId})")]
    public static partial void TookLock(ILogger logger, int processId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Reason}: retry {Attempt} in {DelayMs:0} ms; in the way: {Blocker}")]
    public static partial void Retrying(ILogger logger, string reason, int attempt, double delayMs, string blocker);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Index {Index} was already built by an earlier run: skipped")]
    public static partial void IndexAlreadyBuilt(ILogger logger, string index);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Dropping the INVALID index {Index} a failed concurrent build left, before building it again")]
    public static partial void DroppingInvalidIndex(ILogger logger, string index);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Watching the migration session failed: {Reason}")]
    public static partial void WatchFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Watchdog: backend {ProcessId} kept {Sessions} sessions waiting for {BlockedMs:0} ms; cancelling its statement to retry later")]
    public static partial void WatchdogCancel(ILogger logger, int processId, int sessions, double blockedMs);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Applying {MigrationId} ({Index}/{Total}, {Phase})")]
    public static partial void Applying(ILogger logger, string migrationId, int index, int total, MigrationPhase phase);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Applied {MigrationId} in {DurationMs:0} ms")]
    public static partial void Applied(ILogger logger, string migrationId, double durationMs);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Reverting {MigrationId} ({Index}/{Total})")]
    public static partial void Reverting(ILogger logger, string migrationId, int index, int total);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Migration {MigrationId} failed: {Reason}")]
    public static partial void Failed(ILogger logger, string migrationId, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Resuming {MigrationId} after step {Step} of {Steps}, which an earlier run completed")]
    public static partial void Resuming(ILogger logger, string migrationId, int step, int steps);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "{Note}")]
    public static partial void Note(ILogger logger, string note);

    [LoggerMessage(EventId = 17, Level = LogLevel.Information, Message = "Backfill {Name} resumes after its saved cursor: {Rows} rows done by an earlier run")]
    public static partial void BackfillResumed(ILogger logger, string name, long rows);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Backfill {Name}: {Rows} rows so far")]
    public static partial void Backfilled(ILogger logger, string name, long rows);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "Paused {What}: {Reason}")]
    public static partial void Paused(ILogger logger, string what, string reason);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "Resumed {What} after {Ms} ms")]
    public static partial void Resumed(ILogger logger, string what, double ms);
}
