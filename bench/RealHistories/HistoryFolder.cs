namespace RealHistories;

/// <summary>
/// A migrations folder and the checkout it belongs to: the nearest folder above it holding a COMMIT file
/// (the layout histories are checked out in) names the history; otherwise the folder's own path does.
/// </summary>
internal sealed record HistoryFolder(string Path, string Name, string? Commit, string RelativePath)
{
    public static HistoryFolder Describe(string path)
    {
        for (var directory = new DirectoryInfo(path); directory is not null; directory = directory.Parent)
        {
            var commitFile = System.IO.Path.Combine(directory.FullName, "COMMIT");
            if (File.Exists(commitFile))
            {
                var commit = ReadCommit(commitFile);
                return new HistoryFolder(path, directory.Name, commit, System.IO.Path.GetRelativePath(directory.FullName, path));
            }
        }

        return new HistoryFolder(path, new DirectoryInfo(path).Name, null, path);
    }

    private static string? ReadCommit(string file)
    {
        try
        {
            var commit = File.ReadAllText(file).Trim();
            return commit.Length == 0 ? null : commit;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A name usable as a file or folder name.</summary>
    public string SafeName => string.Concat(Name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
