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

    public async Task<(HostOutput Output, ProjectMetadata Project)> RunAsync(
        string command, Action<HostInvocation>? configure, string? connection, Action<string> status, CancellationToken cancellationToken, Action<string>? progress = null)
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
        var invocation = new HostInvocation
        {
            Command = command,
            Assembly = startup == project ? startupMetadata.TargetPath : Path.Combine(Path.GetDirectoryName(startupMetadata.TargetPath)!, Path.GetFileName(targetMetadata.TargetPath)),
            StartupAssembly = startup == project ? null : startupMetadata.TargetPath,
            ProjectDirectory = targetMetadata.ProjectDirectory,
            Format = "json",
            RootNamespace = targetMetadata.RootNamespace,
            Baseline = options.Baseline ?? targetMetadata.Baseline,
            TargetPostgres = options.TargetPostgresVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        invocation.Contexts.AddRange(options.Contexts);
        invocation.Severities.AddRange(options.Severities);
        configure?.Invoke(invocation);
        var channelFile = Path.Combine(Path.GetTempPath(), "safemig-" + Guid.NewGuid().ToString("N") + ".channel");
        await File.WriteAllBytesAsync(channelFile, [], cancellationToken);
        invocation.Channel = channelFile;
        arguments.Add(hostPath);
        arguments.AddRange(invocation.ToArguments());
        try
        {
            var (answer, exitCode, appOutput) = await ExecuteAsync(arguments, targetMetadata.ProjectDirectory, connection, invocation.From, channelFile, progress, cancellationToken);
            HostOutput? output;
            try
            {
                output = answer.Length == 0 ? null : JsonSerializer.Deserialize<HostOutput>(answer, HostJson.Options);
            }
            catch (JsonException)
            {
                output = null;
            }

            if (output is null)
            {
                var detail = (answer + Environment.NewLine + appOutput.Tail()).Trim();
                throw new CliException($"The design host ended without an answer (exit code {exitCode}){(detail.Length > 0 ? ": " + Shorten(detail) : ".")} Rerun with --verbose to see everything the app printed.");
            }

            return (output, targetMetadata);
        }
        finally
        {
            File.Delete(channelFile);
        }
    }

    /// <summary>
    /// Runs the host: its answer and progress arrive on the channel file, read as it grows; the app's own output (stdout and
    /// stderr: its logging, what its startup prints) is passed through unchanged with --verbose, else kept for a failure.
    /// </summary>
    private async Task<(string Answer, int ExitCode, AppOutput AppOutput)> ExecuteAsync(
        IReadOnlyList<string> arguments, string workingDirectory, string? connection, string? from, string channelFile, Action<string>? progress, CancellationToken cancellationToken)
    {
        var appOutput = new AppOutput(options.Verbose ? options.AppOutput : null);
        // Connection strings travel in the host's environment: they show in no process list.
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal) { [HostInvocation.ConnectionVariable] = connection, [HostInvocation.FromVariable] = from };
        var answer = new StringBuilder();
        using var reader = new ChannelReader(channelFile, line =>
        {
            if (HostChannel.IsProgress(line))
            {
                progress?.Invoke(line);
            }
            else
            {
                answer.AppendLine(line);
            }
        });
        var execution = CliWrap.Cli.Wrap(Dotnet.Path)
            .WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(environment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(appOutput.Add, Encoding.UTF8))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(appOutput.Add, Encoding.UTF8))
            .ExecuteAsync(cancellationToken);
        while (!execution.Task.IsCompleted)
        {
            await Task.WhenAny(execution.Task, Task.Delay(100, cancellationToken));
            reader.ReadNew();
        }

        var result = await execution;
        reader.ReadNew(final: true);
        return (answer.ToString(), result.ExitCode, appOutput);
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

    private static string Shorten(string text) => text.Length > 1200 ? "… " + text[^1200..] : text;

    /// <summary>What the app printed while the host ran: passed through as it comes (--verbose), and its last lines kept.</summary>
    private sealed class AppOutput(TextWriter? passThrough)
    {
        private const int Kept = 40;
        private readonly Queue<string> last = new();

        public void Add(string line)
        {
            lock (last)
            {
                passThrough?.WriteLine(line);
                last.Enqueue(line);
                if (last.Count > Kept)
                {
                    last.Dequeue();
                }
            }
        }

        public string Tail()
        {
            lock (last)
            {
                return string.Join(Environment.NewLine, last);
            }
        }
    }

    /// <summary>Reads the lines a growing file gains; a line counts once its newline is written (or the writer has exited).</summary>
    private sealed class ChannelReader(string path, Action<string> line) : IDisposable
    {
        private readonly FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        private readonly StringBuilder partial = new();
        private readonly Decoder decoder = Encoding.UTF8.GetDecoder();
        private readonly byte[] bytes = new byte[16 * 1024];
        private readonly char[] chars = new char[Encoding.UTF8.GetMaxCharCount(16 * 1024)];

        public void ReadNew(bool final = false)
        {
            int read;
            while ((read = stream.Read(bytes, 0, bytes.Length)) > 0)
            {
                var count = decoder.GetChars(bytes, 0, read, chars, 0);
                for (var i = 0; i < count; i++)
                {
                    if (chars[i] == '\n')
                    {
                        line(partial.ToString().TrimEnd('\r'));
                        partial.Clear();
                    }
                    else
                    {
                        partial.Append(chars[i]);
                    }
                }
            }

            if (final && partial.Length > 0)
            {
                line(partial.ToString().TrimEnd('\r'));
                partial.Clear();
            }
        }

        public void Dispose() => stream.Dispose();
    }
}
