using System.Text.RegularExpressions;

namespace SafeMigrations.Cli.Init;

/// <summary>
/// What `init` finds in an app's folder, by reading files (nothing is built): the project that holds the migrations
/// (its ModelSnapshot or [Migration] classes; else the one project referencing Microsoft.EntityFrameworkCore.Design),
/// the startup project that applies them (the migrations project itself when it is a web app or an executable, else
/// the one that references it), and the ids of the existing migrations.
/// </summary>
internal sealed partial record AppLayout(string Root, string MigrationsProject, string StartupProject, IReadOnlyList<string> MigrationIds)
{
    public string? NewestMigration => MigrationIds.Count > 0 ? MigrationIds[^1] : null;

    public static AppLayout Find(string root, string? project, string? startup)
    {
        var projects = ProjectLocator.Projects(root).ToList();
        var migrations = project is not null ? ProjectLocator.Find(project, root) : FindMigrationsProject(root, projects);
        var startupProject = startup is not null ? ProjectLocator.Find(startup, root) : StartupFor(migrations, projects);
        return new AppLayout(root, migrations, startupProject, MigrationIdsIn(Path.GetDirectoryName(migrations)!));
    }

    private static string FindMigrationsProject(string root, List<string> projects)
    {
        var withMigrations = projects.Where(p => SourceFiles(Path.GetDirectoryName(p)!).Any(f => f.EndsWith("ModelSnapshot.cs", StringComparison.Ordinal))).ToList();
        var candidates = withMigrations.Count > 0 ? withMigrations : projects.Where(p => File.ReadAllText(p).Contains("Microsoft.EntityFrameworkCore.Design", StringComparison.OrdinalIgnoreCase)).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new CliException($"No project under {root} holds EF Core migrations (a *ModelSnapshot.cs) or references Microsoft.EntityFrameworkCore.Design: run dotnet safemig init in the app's folder, or pass --project."),
            _ => throw new CliException($"Several projects hold migrations ({string.Join(", ", candidates.Select(c => Path.GetRelativePath(root, c)))}): run dotnet safemig init once per project with --project."),
        };
    }

    private static string StartupFor(string migrations, List<string> projects)
    {
        if (IsApp(migrations))
        {
            return migrations;
        }

        var name = Path.GetFileName(migrations);
        var referencing = projects.Where(p => p != migrations && IsApp(p) && File.ReadAllText(p).Contains(name, StringComparison.OrdinalIgnoreCase)).ToList();
        return referencing.Count == 1 ? referencing[0] : migrations;
    }

    private static bool IsApp(string project)
    {
        var text = File.ReadAllText(project);
        return text.Contains("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase) || OutputTypeExe().IsMatch(text);
    }

    /// <summary>The ids of the [Migration("…")] classes under the folder, oldest first (ids start with their timestamp).</summary>
    public static IReadOnlyList<string> MigrationIdsIn(string directory) =>
        SourceFiles(directory)
            .SelectMany(f => MigrationAttribute().Matches(File.ReadAllText(f)).Select(m => m.Groups["id"].Value))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<string> SourceFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(directory, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    [GeneratedRegex(@"\[\s*(?:Microsoft\.EntityFrameworkCore\.Migrations\.)?Migration(?:Attribute)?\s*\(\s*""(?<id>[^""]+)""\s*\)\s*\]")]
    private static partial Regex MigrationAttribute();

    [GeneratedRegex(@"<OutputType>\s*(Exe|WinExe)\s*</OutputType>", RegexOptions.IgnoreCase)]
    private static partial Regex OutputTypeExe();
}
