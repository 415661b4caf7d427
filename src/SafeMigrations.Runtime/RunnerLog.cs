using Microsoft.Extensions.Logging;

namespace SafeMigrations.Runtime;

internal static partial class RunnerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Waiting for the migration lock held by {Holder}")]
    public static partial void WaitingForLock(ILogger logger, LockHolder holder);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Took the migration lock (backend pid {ProcessId})")]
    public static partial void TookLock(ILogger logger, int processId);
}
