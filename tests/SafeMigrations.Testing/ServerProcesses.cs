namespace SafeMigrations.Testing;

/// <summary>Finds PostgreSQL server processes whose data directory lies under a folder (reads /proc).</summary>
public static class ServerProcesses
{
    public static IReadOnlyList<int> RunningUnder(string rootDirectory)
    {
        var found = new List<int>();
        foreach (var entry in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid))
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue; // exited meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (commandLine.Contains("postgres", StringComparison.Ordinal) && commandLine.Contains(" -D " + rootDirectory, StringComparison.Ordinal))
            {
                found.Add(pid);
            }
        }

        return found;
    }
}
