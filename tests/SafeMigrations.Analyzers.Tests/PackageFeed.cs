namespace SafeMigrations.Analyzers.Tests;

/// <summary>The packages end-to-end tests pack with a version of their own.</summary>
internal static class PackageFeed
{
    /// <summary>Each run packs a new version; drop the copies NuGet extracted so they don't pile up.</summary>
    public static void ForgetExtracted(string version)
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "safemigrations.analyzers", "safemigrations.abstractions" })
        {
            var extracted = new DirectoryInfo(Path.Combine(root, id, version));
            if (extracted.Exists)
            {
                extracted.Delete(recursive: true);
            }
        }
    }
}
