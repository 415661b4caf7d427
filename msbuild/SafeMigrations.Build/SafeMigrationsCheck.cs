using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using SafeMigrations.Design.Protocol;

namespace SafeMigrations.Build;

/// <summary>
/// Runs the SafeMigrations design host on the app that was just built: `dotnet exec --depsfile
/// &lt;app&gt;.deps.json --runtimeconfig &lt;app&gt;.runtimeconfig.json … SafeMigrations.Design.dll check …`, so the
/// app's EF Core, provider and configuration are used and nothing of them loads into MSBuild. The host
/// prints canonical `file(line,col): error SMxxxx: message` lines, which MSBuild turns into errors with
/// file and line for IDEs, CI annotations and binary logs.
/// </summary>
public sealed class SafeMigrationsCheck : ToolTask
{
    private const string NotePrefix = "SafeMigrations: ";
    private const string WrotePrefix = NotePrefix + "wrote ";
    private const int AppOutputKept = 30;
    private readonly List<ITaskItem> written = [];
    private readonly Queue<string> appOutput = new();

    /// <summary>tools/net8.0/SafeMigrations.Design.dll of the package.</summary>
    [Required]
    public string HostPath { get; set; } = string.Empty;

    /// <summary>The assembly holding the migrations (usually $(TargetPath)).</summary>
    [Required]
    public string Assembly { get; set; } = string.Empty;

    /// <summary>The startup assembly, when it is another project's.</summary>
    public string? StartupAssembly { get; set; }

    [Required]
    public string DepsFile { get; set; } = string.Empty;

    [Required]
    public string RuntimeConfig { get; set; } = string.Empty;

    /// <summary>$(NuGetPackageFolders): where the app's packages are, as dotnet-ef passes them.</summary>
    public string? ProbingPaths { get; set; }

    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    public string? RootNamespace { get; set; }

    /// <summary>DbContext names to check, separated by semicolons; all when empty.</summary>
    public string? Contexts { get; set; }

    public string? Baseline { get; set; }

    public string? TargetPostgresVersion { get; set; }

    public bool CheckDown { get; set; }

    /// <summary>Report the gate's errors as warnings: the build does not fail.</summary>
    public bool WarnOnly { get; set; }

    /// <summary>SafeMigrationsLockFile: false turns the lock file off.</summary>
    public bool LockFile { get; set; } = true;

    /// <summary>SafeMigrationsUpdateLock: re-record every migration as it is now.</summary>
    public bool UpdateLock { get; set; }

    /// <summary>MSBuild's ContinuousIntegrationBuild; the CI environment variables count too (<see cref="HostInvocation.IsContinuousIntegration"/>).</summary>
    public bool ContinuousIntegrationBuild { get; set; }

    /// <summary>Per-rule severities, "SM3001=none;SM1001=warning".</summary>
    public string? Severities { get; set; }

    public bool CheckPendingChanges { get; set; } = true;

    /// <summary>SafeMigrationsGenerateOnBuild: never acted on in CI, where SM3001 then says what to run locally.</summary>
    public bool GenerateOnBuild { get; set; }

    /// <summary>check (the gate), or add: scaffold the pending changes in their safe form.</summary>
    public string Command { get; set; } = "check";

    public string? MigrationName { get; set; }

    /// <summary>add: write nothing when no model change is pending (generate on build).</summary>
    public bool OnlyIfPending { get; set; }

    /// <summary>The dotnet executable ($(DOTNET_HOST_PATH)); "dotnet" from PATH when empty.</summary>
    public string? DotnetHost { get; set; }

    public string? TargetFrameworkIdentifier { get; set; }

    public string? TargetFrameworkVersion { get; set; }

    /// <summary>
    /// The file the host answers in (its canonical lines). The app's own output (its logging, what its startup prints)
    /// goes to the process's stdout and stderr, which are logged as low-importance messages and never parsed.
    /// </summary>
    internal string? ChannelFile { get; set; }

    /// <summary>Files the host wrote (generated migrations, the lock file).</summary>
    [Output]
    public ITaskItem[] WrittenFiles => [.. written];

    protected override string ToolName => "dotnet";

    // The app's output while the host runs it: there for -v:d, out of the way otherwise.
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Low;

    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.Low;

    /// <summary>CI verifies the committed lock file and generates nothing; a developer's build records new migrations.</summary>
    internal bool InContinuousIntegration => ContinuousIntegrationBuild || HostInvocation.IsContinuousIntegration(EnvironmentVariable);

    /// <summary>Where CI is read from: the build's environment (tests give their own).</summary>
    internal Func<string, string?> EnvironmentVariable { get; set; } = Environment.GetEnvironmentVariable;

    public override bool Execute()
    {
        if (Command == "add" && InContinuousIntegration)
        {
            Log.LogMessage(MessageImportance.High, "SafeMigrations: SafeMigrationsGenerateOnBuild writes nothing in CI; the gate reports what is pending.");
            return true;
        }

        if (UnsupportedProject() is { } problem)
        {
            Log.LogError(subcategory: null, errorCode: "SM3004", helpKeyword: null, file: ProjectDirectory, lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: problem);
            return false;
        }

        ChannelFile = Path.Combine(Path.GetTempPath(), "safemigrations-" + Guid.NewGuid().ToString("N") + ".channel");
        try
        {
            File.WriteAllText(ChannelFile, string.Empty);
            return base.Execute() && !Log.HasLoggedErrors;
        }
        finally
        {
            File.Delete(ChannelFile);
        }
    }

    protected override int ExecuteTool(string pathToTool, string responseFileCommands, string commandLineCommands)
    {
        var exitCode = base.ExecuteTool(pathToTool, responseFileCommands, commandLineCommands);
        var answered = false;
        if (ChannelFile is not null && File.Exists(ChannelFile))
        {
            foreach (var line in File.ReadAllLines(ChannelFile))
            {
                answered = true;
                Process(line, MessageImportance.High);
            }
        }

        if (!answered && exitCode != 0 && !Log.HasLoggedErrors)
        {
            Log.LogError(subcategory: null, errorCode: "SM3004", helpKeyword: null, file: ProjectDirectory, lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0,
                message: $"The SafeMigrations design host ended without an answer (exit code {exitCode}). What the app printed last: {string.Join(" | ", appOutput)} Build with -v:d to see all of it.");
        }

        return exitCode;
    }

    /// <summary>Why the project cannot be checked (a netstandard or .NET Framework project, missing build output); null when it can.</summary>
    internal string? UnsupportedProject()
    {
        if (!string.IsNullOrEmpty(TargetFrameworkIdentifier) && TargetFrameworkIdentifier != ".NETCoreApp")
        {
            return $"The build gate needs a .NET 8+ application to run EF Core's design-time services, and this project targets {TargetFrameworkIdentifier} {TargetFrameworkVersion}. Install SafeMigrations.Build in the startup project (.NET 8+) and point <SafeMigrationsMigrationsProject> at this one, or set <SafeMigrationsGate>false</SafeMigrationsGate> here.";
        }

        if (Version.TryParse((TargetFrameworkVersion ?? string.Empty).TrimStart('v'), out var version) && version.Major < 8)
        {
            return $"The build gate supports .NET 8 and later (EF Core 8+); this project targets .NET {version}. Upgrade the target framework or set <SafeMigrationsGate>false</SafeMigrationsGate>.";
        }

        foreach (var (file, what) in new[] { (Assembly, "assembly"), (DepsFile, "deps.json"), (RuntimeConfig, "runtimeconfig.json"), (HostPath, "design host") })
        {
            if (!File.Exists(file))
            {
                return what == "design host"
                    ? $"The SafeMigrations design host is missing from the package ({file}): restore the SafeMigrations.Build package again."
                    : $"The build output has no {what} ({file}): the gate runs after the app is built. Build the project (a class library needs Microsoft.EntityFrameworkCore.Design, which makes it write a runtimeconfig.json).";
            }
        }

        return null;
    }

    protected override string GenerateFullPathToTool() =>
        string.IsNullOrEmpty(DotnetHost) ? ToolName : DotnetHost!;

    protected override string GenerateCommandLineCommands() => CommandLine();

    internal string CommandLine()
    {
        var builder = new CommandLineBuilder();
        builder.AppendSwitch("exec");
        builder.AppendSwitchIfNotNull("--depsfile ", DepsFile);
        builder.AppendSwitchIfNotNull("--runtimeconfig ", RuntimeConfig);
        foreach (var folder in Split(ProbingPaths))
        {
            builder.AppendSwitchIfNotNull("--additionalprobingpath ", folder.TrimEnd('\\', '/'));
        }

        builder.AppendFileNameIfNotNull(HostPath);
        foreach (var argument in Invocation().ToArguments())
        {
            // Options as they are; values quoted where they need it, never read as options.
            if (argument.StartsWith("--", StringComparison.Ordinal) || argument == Command)
            {
                builder.AppendSwitch(argument);
            }
            else
            {
                builder.AppendSwitchIfNotNull(string.Empty, argument);
            }
        }

        return builder.ToString();
    }

    /// <summary>What the host is asked to do, in the protocol it shares with safemig.</summary>
    internal HostInvocation Invocation()
    {
        var invocation = new HostInvocation
        {
            Command = Command,
            Assembly = Assembly,
            Channel = string.IsNullOrEmpty(ChannelFile) ? null : ChannelFile,
            StartupAssembly = string.IsNullOrEmpty(StartupAssembly) ? null : StartupAssembly,
            ProjectDirectory = ProjectDirectory.TrimEnd('\\', '/'),
            Format = "msbuild",
            RootNamespace = string.IsNullOrEmpty(RootNamespace) ? null : RootNamespace,
            Baseline = Baseline?.Trim(),
            TargetPostgres = TargetPostgresVersion?.Trim(),
            CheckDown = CheckDown,
            ErrorsAsWarnings = WarnOnly,
            SkipPending = !CheckPendingChanges,
            Lock = !LockFile ? "off" : UpdateLock ? "rerecord" : InContinuousIntegration ? "verify" : "update",
            OnlyIfPending = OnlyIfPending,
            GenerationSkipped = GenerateOnBuild && Command == "check" && InContinuousIntegration,
            MigrationName = string.IsNullOrWhiteSpace(MigrationName) ? null : MigrationName,
        };
        invocation.Contexts.AddRange(Split(Contexts));
        invocation.Severities.AddRange(Split(Severities));
        return invocation;
    }

    /// <summary>The app's own output, as it printed it: a message at low importance (-v:d shows it), never an error.</summary>
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        Log.LogMessage(MessageImportance.Low, "{0}", singleLine);
        appOutput.Enqueue(singleLine);
        if (appOutput.Count > AppOutputKept)
        {
            appOutput.Dequeue();
        }
    }

    /// <summary>One line of the host's answer: a note, a file it wrote, or a canonical finding for MSBuild to parse.</summary>
    internal void Process(string line, MessageImportance importance)
    {
        if (line.StartsWith(WrotePrefix, StringComparison.Ordinal))
        {
            var file = line.Substring(WrotePrefix.Length).Trim();
            written.Add(new TaskItem(file));
            Log.LogMessage(MessageImportance.High, "SafeMigrations wrote {0}", file);
        }
        else if (line.StartsWith(NotePrefix, StringComparison.Ordinal))
        {
            Log.LogMessage(MessageImportance.High, line);
        }
        else
        {
            // Canonical "file(line,col): error SMxxxx: message" lines become errors and warnings with file and line.
            Log.LogMessageFromText(line, importance);
        }
    }

    protected override bool HandleTaskExecutionErrors() =>
        // The host exits 1 when it reported errors (already logged with file and line) and 2 when it could not load
        // the model (also logged, SM3004): say nothing more. Anything else is the host failing to start.
        Log.HasLoggedErrors ? false : base.HandleTaskExecutionErrors();

    private static IEnumerable<string> Split(string? list) =>
        (list ?? string.Empty).Split([';'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Where(s => s.Length > 0);
}
