using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using CliWrap;
using CliWrap.Buffered;
using Command = System.CommandLine.Command;
using SafeMigrations.Design.Protocol;
using Spectre.Console;

namespace SafeMigrations.Cli.Init;

/// <summary>
/// safemig init: adopts SafeMigrations in an existing app's folder. Adds the analyzers, abstractions and build gate
/// packages to the project that holds the migrations and the runner to the one that applies them, at this tool's
/// version and from the source it came from (a nuget.config entry when that is a local folder); installs the tool
/// in a local tool manifest; sets the baseline to the newest existing migration, so the history is not judged
/// retroactively; builds once, which writes the lock file. Each change is said; --dry-run only says them.
/// </summary>
internal static partial class InitCommand
{
    private static readonly Option<bool> DryRunOption = new("--dry-run") { Description = "Show what init would change, change nothing." };
    private static readonly Option<string?> SourceOption = new("--source") { Description = "The package source with the SafeMigrations packages (default: the one this safemig was installed from)." };
    private static readonly Option<bool> NoBuildOption = new("--skip-build") { Description = "Do not build at the end (the first build writes the lock file and shows the findings)." };

    private static readonly string[] MigrationsPackages = ["SafeMigrations.Analyzers", "SafeMigrations.Abstractions", "SafeMigrations.Build"];
    private const string RunnerPackage = "SafeMigrations.Runtime";
    private const string ToolPackage = "SafeMigrations.Cli";

    public static Command Create(CommandContext context)
    {
        var init = new Command("init", "Adopt SafeMigrations in an existing app: add the packages (analyzers, abstractions, build gate, runner) and the local tool, set the baseline to the newest migration so the history is not judged, build once to write the lock file.")
        {
            DryRunOption, SourceOption, NoBuildOption,
        };
        context.SetAction(init, (parse, token) => RunAsync(context, parse, token));
        return init;
    }

    private static async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken token)
    {
        var console = context.Console;
        var options = context.Options(parse);
        var dryRun = parse.GetValue(DryRunOption);
        var root = options.WorkingDirectory;
        var origin = ToolOrigin.Current();
        var source = parse.GetValue(SourceOption) is { Length: > 0 } given ? Path.GetFullPath(given, root) is var full && Directory.Exists(full) ? full : given : origin.Source;
        var layout = AppLayout.Find(root, options.Project, options.StartupProject);
        var version = origin.Version;
        if (version.StartsWith("0.0.0", StringComparison.Ordinal))
        {
            throw new CliException($"This safemig has no package version ({version}): run the one built into the packages (dotnet tool exec SafeMigrations.Cli --prerelease --add-source <folder> -- init).");
        }

        console.MarkupLineInterpolated($"SafeMigrations {version} from [blue]{source ?? "your configured package sources"}[/]");
        console.MarkupLineInterpolated($"  migrations: [bold]{Relative(root, layout.MigrationsProject)}[/] ({layout.MigrationIds.Count} migration{(layout.MigrationIds.Count == 1 ? string.Empty : "s")})");
        console.MarkupLineInterpolated($"  applied by: [bold]{Relative(root, layout.StartupProject)}[/]");
        console.WriteLine();

        // Every change is planned first, each file it edits parsed: a file init cannot read back stops it before it changes anything.
        var steps = new List<InitStep>();

        // 1. The package source, when it is a folder on this machine: nuget.org knows nothing of it.
        if (source is not null && Directory.Exists(source))
        {
            var config = NuGetConfigFor(root);
            var existing = File.Exists(config) ? await File.ReadAllTextAsync(config, token) : null;
            var updated = Edit(() => XmlFileEdit.WithSource(existing, source),
                $"{Relative(root, config)} does not parse: nothing was changed. Fix it, or add the source yourself: dotnet nuget add source \"{source}\" --name {XmlFileEdit.SourceKey} --configfile \"{config}\"");
            if (updated is not null)
            {
                steps.Add(new InitStep($"wrote {Relative(root, config)}: package source {source}", $"add package source {source} to {Relative(root, config)}",
                    ct => File.WriteAllTextAsync(config, updated, ct)));
            }
        }

        // 2. The packages, with dotnet add package (it edits the project, Central Package Management included, and restores).
        var conditional = new List<string>();
        foreach (var (project, package) in MigrationsPackages.Select(p => (layout.MigrationsProject, p)).Append((layout.StartupProject, RunnerPackage)))
        {
            var (referenced, condition) = Reference(project, package);
            if (condition is not null)
            {
                conditional.Add($"{package} is referenced by {Relative(root, project)} only when {condition}: init leaves it; where that does not hold, the project has no {package}.");
            }

            if (referenced)
            {
                continue;
            }

            steps.Add(new InitStep($"added {package} {version} to {Relative(root, project)}", $"add {package} {version} to {Relative(root, project)}",
                ct => DotnetAsync(root, ["add", project, "package", package, "--version", version], ct)));
        }

        // 3. The baseline: the history predates adoption. Read when it is written, after dotnet add package edited the project.
        if (layout.NewestMigration is { } newest)
        {
            var notParsed = $"{Relative(root, layout.MigrationsProject)} does not parse as XML: nothing was changed. Add <SafeMigrationsBaseline>{newest}</SafeMigrationsBaseline> to a PropertyGroup yourself.";
            if (Edit(() => XmlFileEdit.WithBaseline(File.ReadAllText(layout.MigrationsProject), newest), notParsed) is not null)
            {
                steps.Add(new InitStep(
                    $"set the baseline in {Relative(root, layout.MigrationsProject)} to {newest}: {layout.MigrationIds.Count} existing migration(s) are not judged",
                    $"set the baseline in {Relative(root, layout.MigrationsProject)} to {newest} ({layout.MigrationIds.Count} existing migration(s) not judged)",
                    async ct =>
                    {
                        var edited = await File.ReadAllTextAsync(layout.MigrationsProject, ct);
                        if (Edit(() => XmlFileEdit.WithBaseline(edited, newest), notParsed) is { } withBaseline)
                        {
                            await File.WriteAllTextAsync(layout.MigrationsProject, withBaseline, ct);
                        }
                    }));
            }
        }

        // 4. The tool, in a local manifest: the team's checkouts run the same safemig.
        var manifest = ToolManifest(root);
        if (manifest is null || !(await File.ReadAllTextAsync(manifest, token)).Contains("\"safemigrations.cli\"", StringComparison.OrdinalIgnoreCase))
        {
            var where = manifest is null ? "a new local tool manifest" : Relative(root, manifest);
            steps.Add(new InitStep($"installed {ToolPackage} {version} in {where}", $"install {ToolPackage} {version} in {where}", async ct =>
            {
                if (manifest is null)
                {
                    await DotnetAsync(root, ["new", "tool-manifest"], ct);
                }

                await DotnetAsync(root, ["tool", "install", ToolPackage, "--version", version, .. source is not null ? new[] { "--add-source", source } : []], ct);
            }));
        }

        var changes = steps.Count;
        foreach (var step in steps)
        {
            if (dryRun)
            {
                console.MarkupLine("  " + Markup.Escape("would " + step.Planned));
                continue;
            }

            await step.Apply(token);
            var verb = step.Done.Split(' ')[0];
            console.MarkupLine($"  [green]{verb}[/] {Markup.Escape(step.Done[verb.Length..].TrimStart())}");
        }

        if (dryRun)
        {
            console.WriteLine();
            console.MarkupLineInterpolated($"{changes} change(s); nothing was changed (--dry-run).");
            return HostExitCodes.Clean;
        }

        // 5. The first build: the gate records every migration in the lock file and reports what it finds.
        var build = parse.GetValue(NoBuildOption) ? null : await BuildAsync(root, layout.StartupProject, token);
        console.WriteLine();
        console.MarkupLineInterpolated($"{(changes == 0 ? "Nothing to change: SafeMigrations is already set up." : $"{changes} change(s).")}");
        if (layout.NewestMigration is { } baseline)
        {
            console.MarkupLineInterpolated($"Baseline: {layout.MigrationIds.Count} migration(s) up to {baseline} are not judged. To judge them anyway: dotnet build -p:SafeMigrationsBaseline=");
        }

        foreach (var note in conditional)
        {
            console.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        }

        if (build is { ExitCode: not 0 } failed)
        {
            // Adoption is not done until the app builds with the gate: say so, and exit non-zero.
            var errors = ErrorLine().Matches(failed.Output).Select(m => m.Value.Trim()).Distinct().ToList();
            var own = errors.Count(e => !SafeMigrationsError().IsMatch(e));
            console.MarkupLine($"Built {Markup.Escape(Relative(root, layout.StartupProject))}: [red]failed[/] with {errors.Count} error(s)"
                + (own > 0 ? $", {own} of them the app's own (not SafeMigrations' findings)" : string.Empty) + ":");
            foreach (var error in errors.Take(10))
            {
                console.WriteLine("  " + error);
            }

            console.MarkupLine($"Not set up yet: fix {(own > 0 ? "the app's build" : "the findings")} (the changes above stay), then run [bold]dotnet build[/]: it records the lock file to commit.");
            return HostExitCodes.Findings;
        }

        if (build is not null)
        {
            var locks = Directory.EnumerateFiles(Path.GetDirectoryName(layout.MigrationsProject)!, "*" + Core.Gate.MigrationsLockFile.Extension, SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
            console.MarkupLine($"Built {Markup.Escape(Relative(root, layout.StartupProject))}: [green]succeeded[/]{Markup.Escape(locks.Count > 0 ? $"; lock file {string.Join(", ", locks.Select(l => Relative(root, l)))} (commit it)" : string.Empty)}.");
        }

        console.MarkupLine("Next: [bold]dotnet build[/] judges every new migration; [bold]dotnet safemig migrations add <Name>[/] writes the next one in its safe form; [bold]dotnet safemig overview[/] shows the state.");
        console.MarkupLine("Apply migrations with the runner: at startup, [bold]builder.Services.AddSafeMigrations<YourDbContext>()[/] (instead of Database.Migrate()), or before a deploy, [bold]dotnet safemig apply --connection \"…\"[/] (docs/runner.md). safemig is a local tool: run it as [bold]dotnet safemig[/].");
        return HostExitCodes.Clean;
    }

    /// <summary>One change: what is said once it is done, what --dry-run says, and the change itself.</summary>
    private sealed record InitStep(string Done, string Planned, Func<CancellationToken, Task> Apply);

    /// <summary>An XML edit; a file that does not parse is a <see cref="CliException"/> saying what to do by hand.</summary>
    private static string? Edit(Func<string?> edit, string notParsed)
    {
        try
        {
            return edit();
        }
        catch (XmlException e)
        {
            throw new CliException(notParsed + " (" + e.Message + ")");
        }
    }

    /// <summary>The local tool manifest dotnet finds from the folder (dotnet-tools.json or .config/dotnet-tools.json, up the tree); null: none.</summary>
    private static string? ToolManifest(string root)
    {
        for (var directory = new DirectoryInfo(root); directory is not null; directory = directory.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(directory.FullName, ".config", "dotnet-tools.json"), Path.Combine(directory.FullName, "dotnet-tools.json") })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The nuget.config that governs the folder: the nearest one up to the repository's root (a folder outside any
    /// repository: its own), else a new one in the folder.
    /// </summary>
    private static string NuGetConfigFor(string root)
    {
        var repository = new DirectoryInfo(root);
        while (repository is not null && !Directory.Exists(Path.Combine(repository.FullName, ".git")) && !File.Exists(Path.Combine(repository.FullName, ".git")))
        {
            repository = repository.Parent;
        }

        for (var directory = new DirectoryInfo(root); directory is not null; directory = directory.Parent)
        {
            var found = directory.EnumerateFiles().FirstOrDefault(f => f.Name.Equals("nuget.config", StringComparison.OrdinalIgnoreCase));
            if (found is not null)
            {
                return found.FullName;
            }

            if (repository is null || directory.FullName == repository.FullName)
            {
                break;
            }
        }

        return Path.Combine(root, "nuget.config");
    }

    /// <summary>Whether the project references the package (or its project, inside this repository), and the MSBuild condition it is under, if any.</summary>
    private static (bool Referenced, string? Condition) Reference(string project, string package)
    {
        System.Xml.Linq.XElement? reference;
        try
        {
            reference = System.Xml.Linq.XDocument.Load(project).Descendants()
                .FirstOrDefault(e => e.Name.LocalName is "PackageReference" or "ProjectReference"
                    && (string?)e.Attribute("Include") is { } include
                    && (e.Name.LocalName == "PackageReference" ? string.Equals(include, package, StringComparison.OrdinalIgnoreCase) : Path.GetFileName(include.Replace('\\', '/')).Equals(package + ".csproj", StringComparison.OrdinalIgnoreCase)));
        }
        catch (System.Xml.XmlException)
        {
            return (false, null); // the edit that follows says the project does not parse
        }

        var condition = reference?.AncestorsAndSelf().Select(e => (string?)e.Attribute("Condition")).FirstOrDefault(c => !string.IsNullOrWhiteSpace(c));
        return (reference is not null, condition?.Trim());
    }

    private static async Task DotnetAsync(string directory, string[] arguments, CancellationToken token)
    {
        var (exitCode, output) = await RunDotnetAsync(directory, arguments, token);
        if (exitCode != 0)
        {
            throw new CliException($"dotnet {string.Join(' ', arguments)} failed (exit code {exitCode}); what init changed before it stays:{Environment.NewLine}{output.Trim()}");
        }
    }

    private static async Task<(int ExitCode, string Output)?> BuildAsync(string directory, string project, CancellationToken token) =>
        await RunDotnetAsync(directory, ["build", project, "-nologo", "-v:q", "-clp:NoSummary"], token);

    private static async Task<(int ExitCode, string Output)> RunDotnetAsync(string directory, string[] arguments, CancellationToken token)
    {
        var result = await CliWrap.Cli.Wrap(Dotnet.Path).WithArguments(arguments).WithWorkingDirectory(directory).WithValidation(CommandResultValidation.None)
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" })
            .ExecuteBufferedAsync(Encoding.UTF8, token);
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path);

    [GeneratedRegex(@"[^\r\n]*: error [A-Z]+\d+:[^\r\n]*")]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@": error SM\d{4}:")]
    private static partial Regex SafeMigrationsError();
}
