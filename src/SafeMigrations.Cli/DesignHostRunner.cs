using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using SafeMigrations.Design.Protocol;

namespace SafeMigrations.Cli;

/// <summary>
/// Builds the project (unless --no-build) and runs the design host in the app's dependency context:
/// `dotnet exec --depsfile … --runtimeconfig … host/SafeMigrations.Design.dll &lt;command&gt; --format json`.
/// The build skips the gate and the analyzers (they would judge what safemig is about to report), as
/// dotnet ef's own build does.
/// </summary>
internal sealed class DesignHostRunner(GateOptions options)
{
    public const string HostPathVariable = "SAFEMIGRATIONS_HOST_PATH";
    private const string ConnectionVariable = "SAFEMIGRATIONS_HOST_CONNECTION";

    public async Task<(HostOutput Output, int ExitCode, ProjectMetadata Project)> RunAsync(
        string command, IEnumerable<string> extraArguments, string? connection, Action<string> status, CancellationToken cancellationToken, Action<string>? progress = null)
    {
        var project = ProjectLocator.Find(options.Project, options.WorkingDirectory);
        var startup = options.StartupProject is { } given ? ProjectLocator.Find(given, options.WorkingDirectory) : project;
        if (!options.NoBuild)
        {
            status($"Building {Path.GetFileName(startup)} …");
            await BuildAsync(startup, cancellationToken);
        }

        status("Loading the model …");
        var startupMetadata = await ProjectMetadata.ReadAsync(startup, options.Configuration, options.Framework, cancellationToken);
        var targetMetadata = startup == project ? startupMetadata : await ProjectMetadata.ReadAsync(project, options.Configuration, options.Framework, cancellationToken);
        if (startupMetadata.Problem() is { } problem)
        {
            throw new CliException(problem);
        }

        var hostPath = Environment.GetEnvironmentVariable(HostPathVariable) is { Length: > 0 } overridden
            ? overridden
            : Path.Combine(AppContext.BaseDirectory, "host", "SafeMigrations.Design.dll");
        if (!File.Exists(hostPath))
        {
            throw new CliException($"The design host is missing ({hostPath}): reinstall the tool (dotnet tool update SafeMigrations.Cli).");
        }

        var arguments = new List<string> { "exec", "--depsfile", startupMetadata.DepsFile, "--runtimeconfig", startupMetadata.RuntimeConfig };
        foreach (var folder in startupMetadata.PackageFolders)
        {
            arguments.AddRange(["--additionalprobingpath", folder.TrimEnd('/', '\\')]);
        }

        // The migrations assembly: the target project's, copied next to the startup project's output.
        var assembly = startup == project ? startupMetadata.TargetPath : Path.Combine(Path.GetDirectoryName(startupMetadata.TargetPath)!, Path.GetFileName(targetMetadata.TargetPath));
        arguments.AddRange([hostPath, command, "--assembly", assembly, "--project-dir", targetMetadata.ProjectDirectory, "--format", "json"]);
        if (startup != project)
        {
            arguments.AddRange(["--startup-assembly", startupMetadata.TargetPath]);
        }

        if (targetMetadata.RootNamespace is { } rootNamespace)
        {
            arguments.AddRange(["--root-namespace", rootNamespace]);
        }

        foreach (var context in options.Contexts)
        {
            arguments.AddRange(["--context", context]);
        }

        if (options.Baseline is { } baseline)
        {
            arguments.AddRange(["--baseline", baseline]);
        }

        if (options.TargetPostgresVersion is { } version)
        {
            arguments.AddRange(["--target-postgres", version.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        foreach (var severity in options.Severities)
        {
            arguments.AddRange(["--severity", severity]);
        }

        arguments.AddRange(extraArguments);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal) { [ConnectionVariable] = connection };
        // The runner's progress arrives on stderr as "@progress" lines while it works; everything else is kept for errors.
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var hostCommand = CliWrap.Cli.Wrap(Dotnet.Path)
            .WithArguments(arguments)
            .WithWorkingDirectory(targetMetadata.ProjectDirectory)
            .WithEnvironmentVariables(environment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout, Encoding.UTF8))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
            {
                if (line.StartsWith("@progress\t", StringComparison.Ordinal))
                {
                    progress?.Invoke(line);
                }
                else
                {
                    stderr.AppendLine(line);
                }
            }, Encoding.UTF8));
        var execution = await hostCommand.ExecuteAsync(cancellationToken);
        var result = (StandardOutput: stdout.ToString(), StandardError: stderr.ToString(), execution.ExitCode);
        HostOutput? output;
        try
        {
            output = JsonSerializer.Deserialize<HostOutput>(result.StandardOutput, HostJson.Options);
        }
        catch (JsonException)
        {
            output = null;
        }

        if (output is null)
        {
            var detail = (result.StandardError + result.StandardOutput).Trim();
            throw new CliException($"The design host did not answer (exit code {result.ExitCode}): {Shorten(detail)}");
        }

        return (output, result.ExitCode, targetMetadata);
    }

    private async Task BuildAsync(string project, CancellationToken cancellationToken)
    {
        var result = await CliWrap.Cli.Wrap(Dotnet.Path)
            .WithArguments(["build", project, "-c", options.Configuration, "-nologo", "-v:q", "-clp:NoSummary",
                "-p:SafeMigrationsGate=false", "-p:SafeMigrationsEfToolBuild=true", .. options.Framework is { } f ? new[] { "-f", f } : []])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new CliException($"The build of {Path.GetFileName(project)} failed: {ProjectMetadata.FirstError(result.StandardOutput + result.StandardError)} Fix the build, then run safemig again.");
        }
    }

    private static string Shorten(string text) => text.Length > 600 ? text[..600] + " …" : text;
}
