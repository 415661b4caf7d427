using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;

namespace SafeMigrations.Cli;

/// <summary>What the host needs of a built project, asked of MSBuild (`dotnet msbuild -getProperty`), as dotnet-ef asks.</summary>
internal sealed record ProjectMetadata(
    string ProjectPath,
    string TargetPath,
    string DepsFile,
    string RuntimeConfig,
    IReadOnlyList<string> PackageFolders,
    string? RootNamespace,
    string TargetFrameworkIdentifier,
    string TargetFrameworkVersion)
{
    /// <summary>The project's &lt;SafeMigrationsBaseline&gt;: safemig judges the history as the build does, unless --baseline says otherwise.</summary>
    public string? Baseline { get; init; }

    private static readonly string[] Properties =
    [
        "TargetPath", "ProjectDepsFilePath", "ProjectRuntimeConfigFilePath", "NuGetPackageFolders", "RootNamespace",
        "TargetFrameworkIdentifier", "TargetFrameworkVersion", "TargetFramework", "TargetFrameworks", "SafeMigrationsBaseline",
    ];

    public string ProjectDirectory => Path.GetDirectoryName(ProjectPath)!;

    public static async Task<ProjectMetadata> ReadAsync(string project, string configuration, string? framework, CancellationToken cancellationToken)
    {
        var values = await QueryAsync(project, configuration, framework, cancellationToken);
        if (string.IsNullOrEmpty(values["TargetFramework"]) && values["TargetFrameworks"] is { Length: > 0 } frameworks)
        {
            // Multi-targeted: like dotnet ef, check one framework (the first, unless --framework names one).
            values = await QueryAsync(project, configuration, frameworks.Split(';', StringSplitOptions.RemoveEmptyEntries)[0], cancellationToken);
        }

        return new ProjectMetadata(
            project,
            values["TargetPath"],
            values["ProjectDepsFilePath"],
            values["ProjectRuntimeConfigFilePath"],
            values["NuGetPackageFolders"].Split(';', StringSplitOptions.RemoveEmptyEntries),
            values["RootNamespace"] is { Length: > 0 } ns ? ns : null,
            values["TargetFrameworkIdentifier"],
            values["TargetFrameworkVersion"])
        {
            Baseline = values["SafeMigrationsBaseline"] is { Length: > 0 } baseline ? baseline : null,
        };
    }

    /// <summary>Why the host cannot run this project (not .NET 8+, not built); null when it can.</summary>
    public string? Problem()
    {
        if (TargetFrameworkIdentifier != ".NETCoreApp")
        {
            return $"{Path.GetFileName(ProjectPath)} targets {TargetFrameworkIdentifier} {TargetFrameworkVersion}: safemig runs EF Core's design-time services, which need a .NET 8+ startup project. Pass --startup-project.";
        }

        if (Version.TryParse(TargetFrameworkVersion.TrimStart('v'), out var version) && version.Major < 8)
        {
            return $"{Path.GetFileName(ProjectPath)} targets .NET {version}: safemig supports .NET 8 and later (EF Core 8+).";
        }

        foreach (var file in new[] { TargetPath, DepsFile, RuntimeConfig })
        {
            if (!File.Exists(file))
            {
                return $"The build output {file} does not exist: build the project (drop --no-build). A class library needs Microsoft.EntityFrameworkCore.Design, which makes it write a runtimeconfig.json, or a --startup-project.";
            }
        }

        return null;
    }

    private static async Task<Dictionary<string, string>> QueryAsync(string project, string configuration, string? framework, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "msbuild", project, "-nologo", $"-p:Configuration={configuration}" };
        if (framework is not null)
        {
            arguments.Add($"-p:TargetFramework={framework}");
        }

        arguments.AddRange(Properties.Select(p => "-getProperty:" + p));
        var result = await CliWrap.Cli.Wrap(Dotnet.Path).WithArguments(arguments).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new CliException($"MSBuild could not evaluate {project}: {FirstError(result.StandardOutput + result.StandardError)}");
        }

        using var document = JsonDocument.Parse(result.StandardOutput);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.GetProperty("Properties").EnumerateObject())
        {
            values[property.Name] = property.Value.GetString() ?? string.Empty;
        }

        return values;
    }

    public static string FirstError(string output) =>
        output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains(": error ", StringComparison.Ordinal))
        ?? output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "(no output)";
}
