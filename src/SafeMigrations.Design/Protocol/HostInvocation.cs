// How SafeMigrations' front ends (the build gate's task, safemig) start the design host, and how the host reads its
// command line: one type, compiled into all three, so an option cannot be spelled one way by a caller and read another
// way by the host. It is plain C# that .NET Framework MSBuild (the task's net472 build) compiles too.
#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SafeMigrations.Design.Protocol;

/// <summary>
/// The design host's command line: `command --name value … [-- app arguments]`. A protocol between SafeMigrations'
/// own programs, not a user interface; values are checked by the host (HostArguments), not here.
/// </summary>
internal sealed class HostInvocation
{
    /// <summary>The environment variable a caller sets to give the host a connection string: it shows in no process list.</summary>
    public const string ConnectionVariable = "SAFEMIGRATIONS_HOST_CONNECTION";

    /// <summary>verify --from: the database whose table sizes the findings are scaled to (read-only), passed like the connection.</summary>
    public const string FromVariable = "SAFEMIGRATIONS_HOST_FROM";

    private static readonly string[] ContinuousIntegrationVariables = ["CI", "TF_BUILD", "GITHUB_ACTIONS", "ContinuousIntegrationBuild"];

    public string Command { get; set; } = "check";

    /// <summary>The file the host answers in (<see cref="HostChannel"/>); null: stdout.</summary>
    public string? Channel { get; set; }

    public string Assembly { get; set; } = string.Empty;

    public string? StartupAssembly { get; set; }

    public string? ProjectDirectory { get; set; }

    public string? RootNamespace { get; set; }

    /// <summary>text, json or msbuild.</summary>
    public string? Format { get; set; }

    public List<string> Contexts { get; } = [];

    public string? Baseline { get; set; }

    public string? TargetPostgres { get; set; }

    /// <summary>Per-rule severities, "SM1020=none".</summary>
    public List<string> Severities { get; } = [];

    /// <summary>add: column=SQL, the value a column's NULLs get before it becomes NOT NULL.</summary>
    public List<string> Fills { get; } = [];

    /// <summary>update, verify, rerecord or off.</summary>
    public string? Lock { get; set; }

    public bool CheckDown { get; set; }

    public bool ErrorsAsWarnings { get; set; }

    public bool SkipPending { get; set; }

    /// <summary>add: write nothing when no model change is pending (generation on build).</summary>
    public bool OnlyIfPending { get; set; }

    /// <summary>The build asked to generate migrations and did not, in CI: SM3001 says what to run locally.</summary>
    public bool GenerationSkipped { get; set; }

    public string? MigrationName { get; set; }

    public string? OutputDirectory { get; set; }

    /// <summary>apply: up to; rollback: back to.</summary>
    public string? To { get; set; }

    public string? Phase { get; set; }

    public string? LockTimeout { get; set; }

    public string? Retries { get; set; }

    /// <summary>apply: when background work pauses for the application (ThrottleLimits.Parse's form).</summary>
    public string? Throttle { get; set; }

    /// <summary>restore: the migration whose dropped data to put back; backups: the migration whose backups to drop.</summary>
    public string? Migration { get; set; }

    public string? Limit { get; set; }

    /// <summary>backups: drop the backups older than this many days.</summary>
    public string? PurgeDays { get; set; }

    /// <summary>verify: the rows seeded per table on the shadow database.</summary>
    public string? Rows { get; set; }

    /// <summary>verify: milliseconds a write-blocking lock may be held before it is SM4005.</summary>
    public string? LockBudget { get; set; }

    /// <summary>verify: the database to scale to, copy the schema or sample rows from; travels in <see cref="FromVariable"/>, never on the command line.</summary>
    public string? From { get; set; }

    /// <summary>verify --copy-schema: the shadow starts from --from's schema and history (pg_dump), not from the migrations.</summary>
    public bool CopySchema { get; set; }

    /// <summary>verify --sample: the shadow's rows are copied from --from, not generated.</summary>
    public bool Sample { get; set; }

    /// <summary>verify --copy-schema: the pg_dump to run (the caller finds PostgreSQL's binaries).</summary>
    public string? PgDump { get; set; }

    public bool DryRun { get; set; }

    public bool AllowOutOfOrder { get; set; }

    public bool AcceptChecksums { get; set; }

    public bool Force { get; set; }

    /// <summary>Arguments after `--`, passed to the app's host builder or design-time factory.</summary>
    public List<string> AppArguments { get; } = [];

    /// <summary>Whether this process runs in CI (CI, TF_BUILD, GITHUB_ACTIONS or ContinuousIntegrationBuild is true): the lock file is only verified there, and nothing is generated.</summary>
    public static bool IsContinuousIntegration(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return ContinuousIntegrationVariables.Any(name => string.Equals(environment(name), "true", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The options in the order the host reads them; values are separate arguments, never joined to their names.</summary>
    public List<string> ToArguments()
    {
        var arguments = new List<string> { Command };
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                arguments.Add(name);
                arguments.Add(value!);
            }
        }

        void Flag(string name, bool on)
        {
            if (on)
            {
                arguments.Add(name);
            }
        }

        Add("--assembly", Assembly);
        Add(HostChannel.Option, Channel);
        Add("--startup-assembly", StartupAssembly);
        Add("--project-dir", ProjectDirectory);
        Add("--format", Format);
        Add("--root-namespace", RootNamespace);
        foreach (var context in Contexts)
        {
            Add("--context", context);
        }

        Add("--baseline", Baseline);
        Add("--target-postgres", TargetPostgres);
        foreach (var severity in Severities)
        {
            Add("--severity", severity);
        }

        Flag("--check-down", CheckDown);
        Flag("--errors-as-warnings", ErrorsAsWarnings);
        Flag("--no-pending", SkipPending);
        Add("--lock", Lock);
        Flag("--if-pending", OnlyIfPending);
        Flag("--generation-skipped", GenerationSkipped);
        Add("--name", MigrationName);
        Add("--output-dir", OutputDirectory);
        foreach (var fill in Fills)
        {
            Add("--fill", fill);
        }

        Add("--to", To);
        Add("--phase", Phase);
        Add("--lock-timeout", LockTimeout);
        Add("--retries", Retries);
        Add("--throttle", Throttle);
        Add("--migration", Migration);
        Add("--limit", Limit);
        Add("--purge-days", PurgeDays);
        Add("--rows", Rows);
        Add("--lock-budget", LockBudget);
        Add("--pg-dump", PgDump);
        Flag("--copy-schema", CopySchema);
        Flag("--sample", Sample);
        Flag("--dry-run", DryRun);
        Flag("--allow-out-of-order", AllowOutOfOrder);
        Flag("--accept-checksums", AcceptChecksums);
        Flag("--force", Force);
        if (AppArguments.Count > 0)
        {
            arguments.Add("--");
            arguments.AddRange(AppArguments);
        }

        return arguments;
    }

    /// <summary>Reads a command line <see cref="ToArguments"/> wrote; an unknown option or a missing value is a <see cref="FormatException"/>.</summary>
    public static HostInvocation Parse(IReadOnlyList<string> args)
    {
        var invocation = new HostInvocation();
        var values = new Dictionary<string, Action<string>>(StringComparer.Ordinal)
        {
            ["--assembly"] = v => invocation.Assembly = v,
            [HostChannel.Option] = v => invocation.Channel = v,
            ["--startup-assembly"] = v => invocation.StartupAssembly = v,
            ["--project-dir"] = v => invocation.ProjectDirectory = v,
            ["--format"] = v => invocation.Format = v,
            ["--root-namespace"] = v => invocation.RootNamespace = v,
            ["--context"] = invocation.Contexts.Add,
            ["--baseline"] = v => invocation.Baseline = v,
            ["--target-postgres"] = v => invocation.TargetPostgres = v,
            ["--severity"] = invocation.Severities.Add,
            ["--lock"] = v => invocation.Lock = v,
            ["--name"] = v => invocation.MigrationName = v,
            ["--output-dir"] = v => invocation.OutputDirectory = v,
            ["--fill"] = invocation.Fills.Add,
            ["--to"] = v => invocation.To = v,
            ["--phase"] = v => invocation.Phase = v,
            ["--lock-timeout"] = v => invocation.LockTimeout = v,
            ["--retries"] = v => invocation.Retries = v,
            ["--throttle"] = v => invocation.Throttle = v,
            ["--migration"] = v => invocation.Migration = v,
            ["--limit"] = v => invocation.Limit = v,
            ["--purge-days"] = v => invocation.PurgeDays = v,
            ["--rows"] = v => invocation.Rows = v,
            ["--lock-budget"] = v => invocation.LockBudget = v,
            ["--pg-dump"] = v => invocation.PgDump = v,
        };
        var flags = new Dictionary<string, Action>(StringComparer.Ordinal)
        {
            ["--check-down"] = () => invocation.CheckDown = true,
            ["--errors-as-warnings"] = () => invocation.ErrorsAsWarnings = true,
            ["--no-pending"] = () => invocation.SkipPending = true,
            ["--if-pending"] = () => invocation.OnlyIfPending = true,
            ["--generation-skipped"] = () => invocation.GenerationSkipped = true,
            ["--dry-run"] = () => invocation.DryRun = true,
            ["--copy-schema"] = () => invocation.CopySchema = true,
            ["--sample"] = () => invocation.Sample = true,
            ["--allow-out-of-order"] = () => invocation.AllowOutOfOrder = true,
            ["--accept-checksums"] = () => invocation.AcceptChecksums = true,
            ["--force"] = () => invocation.Force = true,
        };
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                invocation.AppArguments.AddRange(args.Skip(i + 1));
                break;
            }

            if (i == 0 && (arg.Length == 0 || arg[0] != '-'))
            {
                invocation.Command = arg;
            }
            else if (values.TryGetValue(arg, out var set))
            {
                if (i + 1 >= args.Count)
                {
                    throw new FormatException($"{arg} needs a value.");
                }

                set(args[++i]);
            }
            else if (flags.TryGetValue(arg, out var on))
            {
                on();
            }
            else
            {
                throw new FormatException(string.Format(CultureInfo.InvariantCulture, "Unexpected argument '{0}'.", arg));
            }
        }

        return invocation;
    }
}

/// <summary>
/// The host's answer travels on a channel of its own: a file the caller creates and names with --channel. The app's
/// own output (its logging, what its startup prints) stays on stdout and stderr, where it can never be mistaken for
/// the answer. While the host works it appends progress lines; its answer (JSON, or MSBuild's canonical lines)
/// follows, and the file is complete when the process has exited.
/// </summary>
internal static class HostChannel
{
    public const string Option = "--channel";

    /// <summary>Starts every progress line (<see cref="HostProgress"/>); any other line is the answer.</summary>
    public const string ProgressPrefix = "@progress\t";

    public static bool IsProgress(string line) => line.StartsWith(ProgressPrefix, System.StringComparison.Ordinal);
}
