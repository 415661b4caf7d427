namespace SafeMigrations.EmbeddedPostgres;

/// <summary>How a throwaway cluster is created.</summary>
public sealed record EmbeddedPostgresOptions
{
    /// <summary>Environment variable naming the folder that holds initdb and pg_ctl.</summary>
    public const string BinDirectoryVariable = "SAFEMIGRATIONS_PG_BIN";

    /// <summary>Environment variable naming the parent folder of throwaway clusters.</summary>
    public const string RootDirectoryVariable = "SAFEMIGRATIONS_PG_ROOT";

    /// <summary>Environment variable naming the account that runs the server when the process is root.</summary>
    public const string OsUserVariable = "SAFEMIGRATIONS_PG_OS_USER";

    /// <summary>Folder holding initdb and pg_ctl; null searches PATH and the usual install locations.</summary>
    public string? BinDirectory { get; init; } = Environment.GetEnvironmentVariable(BinDirectoryVariable);

    /// <summary>Whether PATH is searched for the binaries (tests turn it off to simulate a missing install).</summary>
    public bool SearchPath { get; init; } = true;

    /// <summary>Parent folder of all throwaway clusters; orphans left here by killed processes are removed on the next start.</summary>
    public string RootDirectory { get; init; } = Environment.GetEnvironmentVariable(RootDirectoryVariable) is { Length: > 0 } root
        ? root
        : Path.Combine(Path.GetTempPath(), "safemigrations-pg");

    /// <summary>Account that runs initdb/pg_ctl when this process is root (PostgreSQL refuses root).</summary>
    public string OsUserWhenRoot { get; init; } = Environment.GetEnvironmentVariable(OsUserVariable) is { Length: > 0 } user ? user : "postgres";

    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Extra postgresql.conf settings (name → value, written verbatim).</summary>
    public IReadOnlyDictionary<string, string> ServerSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Trades durability for speed (fsync, synchronous_commit and full_page_writes off): right for a
    /// throwaway cluster, wrong for anything that must survive a crash.
    /// </summary>
    public bool Durable { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
