namespace SafeMigrations.EmbeddedPostgres;

/// <summary>The PostgreSQL server binaries (initdb, pg_ctl) could not be found.</summary>
public sealed class PostgresNotInstalledException : InvalidOperationException
{
    public PostgresNotInstalledException(IEnumerable<string> searchedLocations)
        : base(BuildMessage(searchedLocations))
    {
        SearchedLocations = searchedLocations.ToArray();
    }

    public IReadOnlyList<string> SearchedLocations { get; }

    private static string BuildMessage(IEnumerable<string> searchedLocations) =>
        "PostgreSQL server binaries (initdb, pg_ctl) were not found. Searched: "
        + string.Join(", ", searchedLocations) + ". "
        + "Fix: install the server (Debian/Ubuntu: 'apt-get install postgresql'; Fedora: 'dnf install postgresql-server'; "
        + "macOS: 'brew install postgresql@16'), or set " + EmbeddedPostgresOptions.BinDirectoryVariable
        + " to the folder holding initdb, or set " + PostgresServer.ConnectionStringVariable
        + " to use a PostgreSQL server you already run.";
}
