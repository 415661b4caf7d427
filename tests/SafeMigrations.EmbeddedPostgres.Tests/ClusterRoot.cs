namespace SafeMigrations.EmbeddedPostgres.Tests;

/// <summary>An isolated parent folder for the clusters of one test, so tests see only their own.</summary>
internal sealed class ClusterRoot : IDisposable
{
    public ClusterRoot()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "safemigrations-pg-tests", Guid.NewGuid().ToString("N")[..8]);
    }

    public string Path { get; }

    public EmbeddedPostgresOptions Options => new() { RootDirectory = Path };

    public string[] ClusterDirectories => Directory.Exists(Path) ? Directory.GetDirectories(Path) : [];

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
