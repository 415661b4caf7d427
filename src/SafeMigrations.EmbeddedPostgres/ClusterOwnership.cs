using System.Diagnostics;
using System.Globalization;

namespace SafeMigrations.EmbeddedPostgres;

/// <summary>
/// Each cluster folder records the process that owns it (pid and start time, so a reused pid is not
/// mistaken for the owner). A cluster whose owner is gone was left by a killed process and is removed.
/// </summary>
internal static class ClusterOwnership
{
    private const string OwnerFileName = "owner";

    public static void WriteOwner(string clusterDirectory, int processId)
    {
        File.WriteAllText(Path.Combine(clusterDirectory, OwnerFileName), Describe(processId) ?? $"{processId} gone");
    }

    public static bool IsOrphaned(string clusterDirectory)
    {
        var ownerFile = Path.Combine(clusterDirectory, OwnerFileName);
        if (!File.Exists(ownerFile))
        {
            // A folder without an owner file is a start that died before recording it, or junk;
            // leave recent ones alone in case their owner is still writing the file.
            return Directory.GetLastWriteTimeUtc(clusterDirectory) < DateTime.UtcNow.AddMinutes(-10);
        }

        var recorded = File.ReadAllText(ownerFile).Trim().Split(' ');
        if (recorded.Length != 2
            || !int.TryParse(recorded[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(recorded[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var recordedStart))
        {
            return true;
        }

        // .NET derives a process's start time from the boot time, which it recomputes on every call: two
        // readings of one process differ by up to a few milliseconds. A reused pid started at least a second apart.
        return StartTicks(pid) is not { } start || Math.Abs(start - recordedStart) > TimeSpan.TicksPerSecond;
    }

    /// <summary>"pid start-ticks" of a running process; null when no such process runs.</summary>
    private static string? Describe(int processId) =>
        StartTicks(processId) is { } start
            ? processId.ToString(CultureInfo.InvariantCulture) + " " + start.ToString(CultureInfo.InvariantCulture)
            : null;

    private static long? StartTicks(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.StartTime.ToUniversalTime().Ticks;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
