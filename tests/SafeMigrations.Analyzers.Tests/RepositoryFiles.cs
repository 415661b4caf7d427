namespace SafeMigrations.Analyzers.Tests;

internal static class RepositoryFiles
{
    public static readonly string Root = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DevTools.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("DevTools.sln not found above " + AppContext.BaseDirectory);
    }
}
