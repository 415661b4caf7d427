namespace SafeMigrations.EmbeddedPostgres;

/// <summary>Where initdb and pg_ctl live.</summary>
public sealed class PostgresBinaries
{
    private PostgresBinaries(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string InitDb => Path.Combine(Directory, "initdb");

    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    /// <summary>
    /// pg_dump: beside initdb when it is there (the same installation, so the same version), else the newest one
    /// found on PATH or in the usual install locations, else plain "pg_dump" for the OS to find.
    /// </summary>
    public string PgDump => Tool("pg_dump");

    /// <summary>pg_basebackup, found as <see cref="PgDump"/> is: for a standby of a throwaway cluster.</summary>
    public string PgBaseBackup => Tool("pg_basebackup");

    private string Tool(string name) =>
        new[] { Directory }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            .Concat(VersionedDirectories("/usr/lib/postgresql", "bin"))
            .Concat(VersionedDirectories("/usr/pgsql-", "bin"))
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists) ?? name;

    /// <summary>
    /// Finds the binaries: an explicit folder if given, else PATH, else the newest
    /// /usr/lib/postgresql/&lt;version&gt;/bin (Debian/Ubuntu keep the server off PATH), else Homebrew's folders.
    /// </summary>
    public static PostgresBinaries Locate(string? explicitDirectory = null, bool searchPath = true)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            candidates.Add(explicitDirectory!);
        }
        else
        {
            if (searchPath)
            {
                var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
                candidates.AddRange(path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
            }

            candidates.AddRange(VersionedDirectories("/usr/lib/postgresql", "bin"));
            candidates.AddRange(VersionedDirectories("/usr/pgsql-", "bin"));
            candidates.Add("/opt/homebrew/bin");
            candidates.Add("/usr/local/opt/postgresql/bin");
        }

        foreach (var candidate in candidates)
        {
            if (File.Exists(Path.Combine(candidate, "initdb")) && File.Exists(Path.Combine(candidate, "pg_ctl")))
            {
                return new PostgresBinaries(Path.GetFullPath(candidate));
            }
        }

        var searched = explicitDirectory is not null
            ? new[] { explicitDirectory }
            : new[] { searchPath ? "PATH" : null, "/usr/lib/postgresql/*/bin", "/opt/homebrew/bin" }.OfType<string>();
        throw new PostgresNotInstalledException(searched);
    }

    // Debian: /usr/lib/postgresql/15/bin; newest major version first.
    private static IEnumerable<string> VersionedDirectories(string root, string leaf)
    {
        var parent = Path.GetDirectoryName(root.TrimEnd('/')) ?? "/";
        var prefix = root.EndsWith('/') ? string.Empty : Path.GetFileName(root);
        var searchRoot = root.EndsWith('/') ? root : parent;
        if (!System.IO.Directory.Exists(searchRoot))
        {
            return [];
        }

        return System.IO.Directory.GetDirectories(searchRoot, prefix + "*")
            .Select(dir => (dir, version: ParseVersion(Path.GetFileName(dir).Substring(prefix.Length))))
            .Where(entry => entry.version > 0)
            .OrderByDescending(entry => entry.version)
            .Select(entry => Path.Combine(entry.dir, leaf));
    }

    private static double ParseVersion(string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : 0;
}
