using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Gate;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Design;

/// <summary>The output the caller asked for: text for people, json for the CLI, msbuild for the build task's log.</summary>
internal enum OutputFormat
{
    Text,
    Json,
    MSBuild,
}

/// <summary>
/// The host's command line. It is a protocol between SafeMigrations' own front ends (the build task and
/// the CLI) and this host, not a user interface: `command --name value … [-- app arguments]`.
/// </summary>
internal sealed class HostArguments
{
    /// <summary>The environment variable a front end sets to give the host a connection string.</summary>
    public const string ConnectionVariable = "SAFEMIGRATIONS_HOST_CONNECTION";

    public string Command { get; private init; } = "check";

    public string Assembly { get; private init; } = string.Empty;

    public string? StartupAssembly { get; private init; }

    /// <summary>The file the answer goes to (<see cref="Protocol.HostChannel"/>); null: stdout, for a person running the host by hand.</summary>
    public string? Channel { get; private init; }

    public string? ProjectDirectory { get; private init; }

    public string? RootNamespace { get; private init; }

    public IReadOnlyList<string> Contexts { get; private init; } = [];

    public OutputFormat Format { get; private init; } = OutputFormat.Text;

    public AnalysisOptions Analysis { get; private init; } = AnalysisOptions.Default;

    /// <summary>Report errors as warnings (the build's "warn only" setting).</summary>
    public bool ErrorsAsWarnings { get; private init; }

    /// <summary>null: no lock file check.</summary>
    public LockMode? Lock { get; private init; }

    /// <summary>Record every migration as it is now (--lock rerecord: `safemig lock update`, -p:SafeMigrationsUpdateLock=true).</summary>
    public bool RerecordLock { get; private init; }

    /// <summary>add: write nothing when the model has no pending change (generate on build).</summary>
    public bool OnlyIfPending { get; private init; }

    public string? Connection { get; private init; }

    public string? MigrationName { get; private init; }

    public string? OutputDirectory { get; private init; }

    public bool SkipPending { get; private init; }

    /// <summary>The build asked to generate migrations but did not (CI only verifies): SM3001 says what to run locally.</summary>
    public bool GenerationSkipped { get; private init; }

    /// <summary>The runner's settings (apply, rollback, history, restore).</summary>
    public RunnerArguments Runner { get; private init; } = new();

    /// <summary>Arguments after `--`, passed to the app's host builder or design-time factory.</summary>
    public string[] AppArguments { get; private init; } = [];

    public static HostArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var command = "check";
        var appArguments = Array.Empty<string>();
        string[] valued = [Protocol.HostChannel.Option, "--assembly", "--startup-assembly", "--project-dir", "--root-namespace", "--context", "--format", "--baseline", "--target-postgres", "--lock", "--connection", "--name", "--output-dir", "--severity", "--to", "--phase", "--lock-timeout", "--retries", "--migration", "--limit"];
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                appArguments = args.Skip(i + 1).ToArray();
                break;
            }

            if (i == 0 && !arg.StartsWith('-'))
            {
                command = arg;
            }
            else if (valued.Contains(arg))
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"{arg} needs a value.");
                }

                (values.TryGetValue(arg, out var list) ? list : values[arg] = []).Add(args[++i]);
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                flags.Add(arg);
            }
            else
            {
                throw new UsageException($"Unexpected argument '{arg}'.");
            }
        }

        string? One(string name) => values.TryGetValue(name, out var list) ? list[^1] : null;
        var assembly = One("--assembly") ?? throw new UsageException("--assembly <path of the app's or migrations' dll> is required.");
        var severities = new Dictionary<string, Severity>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in values.TryGetValue("--severity", out var given) ? given : [])
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || !Enum.TryParse<Severity>(parts[1], ignoreCase: true, out var severity))
            {
                throw new UsageException($"--severity {pair}: expected <rule id>=none|info|warning|error.");
            }

            severities[parts[0].Trim()] = severity;
        }

        var target = One("--target-postgres");
        int? version = null;
        if (target is not null)
        {
            version = int.TryParse(target, out var parsed) && parsed >= Core.Postgres.PostgresVersion.Minimum
                ? parsed
                : throw new UsageException($"--target-postgres {target}: expected a PostgreSQL major version, {Core.Postgres.PostgresVersion.Minimum} or later.");
        }

        var analysis = new AnalysisOptions
        {
            BaselineMigrationId = string.IsNullOrWhiteSpace(One("--baseline")) ? null : One("--baseline")!.Trim(),
            CheckDown = flags.Contains("--check-down"),
            Severities = severities,
        };
        if (version is { } major)
        {
            analysis = analysis with { TargetPostgresVersion = major };
        }

        return new HostArguments
        {
            Command = command,
            Assembly = assembly,
            StartupAssembly = One("--startup-assembly"),
            Channel = One(Protocol.HostChannel.Option),
            ProjectDirectory = One("--project-dir"),
            RootNamespace = One("--root-namespace"),
            Contexts = values.TryGetValue("--context", out var contexts) ? contexts : [],
            Format = One("--format") switch
            {
                null or "text" => OutputFormat.Text,
                "json" => OutputFormat.Json,
                "msbuild" => OutputFormat.MSBuild,
                var other => throw new UsageException($"--format {other}: expected text, json or msbuild."),
            },
            Analysis = analysis,
            ErrorsAsWarnings = flags.Contains("--errors-as-warnings"),
            RerecordLock = One("--lock") == "rerecord",
            OnlyIfPending = flags.Contains("--if-pending"),
            Lock = One("--lock") switch
            {
                null or "off" or "rerecord" => null,
                "update" => LockMode.Update,
                "verify" => LockMode.Verify,
                var other => throw new UsageException($"--lock {other}: expected update, verify, rerecord or off."),
            },
            // The CLI passes the connection string in the environment, so it shows in no process list.
            Connection = One("--connection") ?? (Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null),
            MigrationName = One("--name"),
            OutputDirectory = One("--output-dir"),
            SkipPending = flags.Contains("--no-pending"),
            GenerationSkipped = flags.Contains("--generation-skipped"),
            Runner = new RunnerArguments
            {
                Target = One("--to"),
                Phase = One("--phase") switch
                {
                    null => null,
                    "expand" => "expand",
                    "contract" => "contract",
                    var other => throw new UsageException($"--phase {other}: expected expand or contract."),
                },
                DryRun = flags.Contains("--dry-run"),
                AllowOutOfOrder = flags.Contains("--allow-out-of-order"),
                AcceptChecksums = flags.Contains("--accept-checksums"),
                Force = flags.Contains("--force"),
                LockTimeoutMs = One("--lock-timeout") is { } timeout ? (int.TryParse(timeout, out var ms) && ms > 0 ? ms : throw new UsageException($"--lock-timeout {timeout}: expected milliseconds.")) : null,
                Retries = One("--retries") is { } retries ? (int.TryParse(retries, out var count) && count >= 0 ? count : throw new UsageException($"--retries {retries}: expected a count.")) : null,
                Migration = One("--migration"),
                Limit = One("--limit") is { } limit && int.TryParse(limit, out var rows) && rows > 0 ? rows : 50,
            },
            AppArguments = appArguments,
        };
    }
}

/// <summary>What apply, rollback, history and restore were asked to do.</summary>
internal sealed record RunnerArguments
{
    public string? Target { get; init; }

    public string? Phase { get; init; }

    public bool DryRun { get; init; }

    public bool AllowOutOfOrder { get; init; }

    public bool AcceptChecksums { get; init; }

    public bool Force { get; init; }

    public int? LockTimeoutMs { get; init; }

    public int? Retries { get; init; }

    public string? Migration { get; init; }

    public int Limit { get; init; } = 50;
}

/// <summary>A command line the host cannot act on (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
