namespace SafeMigrations.Cli;

/// <summary>
/// Finds the project to check the way `dotnet ef` does: the one named, else the only project in the current
/// folder; from a folder inside a project, that project. From another folder of the repository, the one
/// project under the repository root that references Microsoft.EntityFrameworkCore.Design (the package every
/// migrations project needs).
/// </summary>
internal static class ProjectLocator
{
    public static string Find(string? given, string workingDirectory)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            var path = Path.GetFullPath(given, workingDirectory);
            if (Directory.Exists(path))
            {
                return Single(Directory.GetFiles(path, "*.csproj"), path) ?? throw new CliException($"{path} holds no single .csproj: name the project file.");
            }

            return File.Exists(path) ? path : throw new CliException($"The project {path} does not exist.");
        }

        if (Single(Directory.GetFiles(workingDirectory, "*.csproj"), workingDirectory) is { } here)
        {
            return here;
        }

        // Inside a project's folder (its Migrations folder, say): the project that encloses it.
        var repository = RepositoryRoot(workingDirectory);
        if (repository != Path.TrimEndingDirectorySeparator(workingDirectory))
        {
            for (var current = Directory.GetParent(workingDirectory); current is not null; current = current.Parent)
            {
                var projects = Directory.GetFiles(current.FullName, "*.csproj");
                if (projects.Length == 1)
                {
                    return projects[0];
                }

                if (projects.Length > 1 || current.FullName == repository)
                {
                    break;
                }
            }
        }

        var root = repository ?? workingDirectory;
        var candidates = Projects(root).Where(ReferencesEfDesign).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new CliException($"No project referencing Microsoft.EntityFrameworkCore.Design was found under {root}: run safemig in the project's folder or pass --project."),
            _ => throw new CliException($"Several projects reference Microsoft.EntityFrameworkCore.Design ({string.Join(", ", candidates.Select(c => Path.GetRelativePath(workingDirectory, c)))}): pass --project (and --startup-project if the migrations live in a class library)."),
        };
    }

    private static string? Single(string[] files, string directory) => files.Length switch
    {
        1 => files[0],
        0 => null,
        _ => throw new CliException($"{directory} holds several projects ({string.Join(", ", files.Select(Path.GetFileName))}): pass --project."),
    };

    private static string? RepositoryRoot(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            if (Directory.Exists(Path.Combine(current.FullName, ".git")) || File.Exists(Path.Combine(current.FullName, ".git")))
            {
                return current.FullName;
            }
        }

        return null;
    }

    internal static IEnumerable<string> Projects(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            string[] files;
            string[] children;
            try
            {
                files = Directory.GetFiles(directory, "*.csproj");
                children = Directory.GetDirectories(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var file in files)
            {
                yield return file;
            }

            foreach (var child in children.Where(c => Path.GetFileName(c) is not ("bin" or "obj" or "node_modules") && !Path.GetFileName(c).StartsWith('.')))
            {
                pending.Push(child);
            }
        }
    }

    private static bool ReferencesEfDesign(string project) =>
        File.ReadAllText(project).Contains("Microsoft.EntityFrameworkCore.Design", StringComparison.OrdinalIgnoreCase);
}
