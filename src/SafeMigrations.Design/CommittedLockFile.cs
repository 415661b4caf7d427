using System.Diagnostics;
using SafeMigrations.Core.Gate;

namespace SafeMigrations.Design;

/// <summary>
/// The lock file as git's HEAD has it: an entry that is only in the working tree's copy was recorded by a local
/// build and has not left this machine, so an edit of its migration is not an edit of history.
/// </summary>
internal static class CommittedLockFile
{
    /// <summary>Of <paramref name="recorded"/>, the ids HEAD's lock file does not have; empty when git cannot tell (no git, no repository, no commit).</summary>
    public static IReadOnlyCollection<string> Provisional(string lockPath, IReadOnlyList<LockEntry> recorded)
    {
        var committed = Read(lockPath);
        if (committed is null)
        {
            return [];
        }

        var inHead = MigrationsLockFile.Parse(committed).Entries.Select(e => e.MigrationId).ToHashSet(StringComparer.Ordinal);
        return recorded.Select(e => e.MigrationId).Where(id => !inHead.Contains(id)).ToList();
    }

    /// <summary>HEAD's version of the file: "" when the repository has no such file there yet, null when git cannot tell.</summary>
    private static string? Read(string lockPath)
    {
        try
        {
            // Outside a repository, or in one without a commit, there is no HEAD to verify.
            var directory = Path.GetDirectoryName(Path.GetFullPath(lockPath))!;
            if (Run(directory, "rev-parse", "--verify", "-q", "HEAD") is not { Code: 0 })
            {
                return null;
            }

            var shown = Run(directory, "show", "HEAD:./" + Path.GetFileName(lockPath));
            return shown is { Code: 0 } ? shown.Value.Output : string.Empty;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return null; // no git on this machine
        }
    }

    private static (int Code, string Output)? Run(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(5000))
        {
            process.Kill(entireProcessTree: true);
            return null;
        }

        return (process.ExitCode, output.GetAwaiter().GetResult());
    }
}
