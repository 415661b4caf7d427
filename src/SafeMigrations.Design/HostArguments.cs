using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Gate;
using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;

namespace SafeMigrations.Design;

/// <summary>The output the caller asked for: text for people, json for the CLI, msbuild for the build task's log.</summary>
internal enum OutputFormat
{
    Text,
    Json,
    MSBuild,
}

/// <summary>
/// The host's command line (<see cref="HostInvocation"/>, shared with the callers), read into what the host acts on:
/// typed options, checked, with the fix when one is wrong.
/// </summary>
internal sealed class HostArguments
{
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

    /// <summary>verify: the database to scale the findings to (its table sizes, read-only); null for none.</summary>
    public string? From { get; private init; }

    /// <summary>add --fill: the SQL value existing NULLs get before a column becomes NOT NULL, by column or table.column.</summary>
    public IReadOnlyDictionary<string, string> Fills { get; private init; } = new Dictionary<string, string>();

    public bool SkipPending { get; private init; }

    /// <summary>The build asked to generate migrations but did not (CI only verifies): SM3001 says what to run locally.</summary>
    public bool GenerationSkipped { get; private init; }

    /// <summary>The runner's settings (apply, rollback, history, restore).</summary>
    public RunnerArguments Runner { get; private init; } = new();

    /// <summary>Arguments after `--`, passed to the app's host builder or design-time factory.</summary>
    public string[] AppArguments { get; private init; } = [];

    public static HostArguments Parse(IReadOnlyList<string> args)
    {
        HostInvocation invocation;
        try
        {
            invocation = HostInvocation.Parse(args);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }

        var assembly = string.IsNullOrWhiteSpace(invocation.Assembly) ? throw new UsageException("--assembly <path of the app's or migrations' dll> is required.") : invocation.Assembly;
        var severities = new Dictionary<string, Severity>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in invocation.Severities)
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || !Enum.TryParse<Severity>(parts[1], ignoreCase: true, out var severity))
            {
                throw new UsageException($"--severity {pair}: expected <rule id>=none|info|warning|error.");
            }

            severities[parts[0].Trim()] = severity;
        }

        var target = invocation.TargetPostgres;
        int? version = null;
        if (target is not null)
        {
            version = int.TryParse(target, out var parsed) && parsed >= Core.Postgres.PostgresVersion.Minimum
                ? parsed
                : throw new UsageException($"--target-postgres {target}: expected a PostgreSQL major version, {Core.Postgres.PostgresVersion.Minimum} or later.");
        }

        var analysis = new AnalysisOptions
        {
            BaselineMigrationId = string.IsNullOrWhiteSpace(invocation.Baseline) ? null : invocation.Baseline.Trim(),
            CheckDown = invocation.CheckDown,
            Severities = severities,
        };
        if (version is { } major)
        {
            analysis = analysis with { TargetPostgresVersion = major };
        }

        return new HostArguments
        {
            Command = invocation.Command,
            Assembly = assembly,
            StartupAssembly = invocation.StartupAssembly,
            Channel = invocation.Channel,
            ProjectDirectory = invocation.ProjectDirectory,
            RootNamespace = invocation.RootNamespace,
            Contexts = invocation.Contexts,
            Format = invocation.Format switch
            {
                null or "text" => OutputFormat.Text,
                "json" => OutputFormat.Json,
                "msbuild" => OutputFormat.MSBuild,
                var other => throw new UsageException($"--format {other}: expected text, json or msbuild."),
            },
            Analysis = analysis,
            ErrorsAsWarnings = invocation.ErrorsAsWarnings,
            RerecordLock = invocation.Lock == "rerecord",
            OnlyIfPending = invocation.OnlyIfPending,
            Lock = invocation.Lock switch
            {
                null or "off" or "rerecord" => null,
                "update" => LockMode.Update,
                "verify" => LockMode.Verify,
                var other => throw new UsageException($"--lock {other}: expected update, verify, rerecord or off."),
            },
            // The caller passes the connection string in the environment, so it shows in no process list.
            Connection = Environment.GetEnvironmentVariable(HostInvocation.ConnectionVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
            From = Environment.GetEnvironmentVariable(HostInvocation.FromVariable) is { Length: > 0 } from ? from : null,
            MigrationName = invocation.MigrationName,
            OutputDirectory = invocation.OutputDirectory,
            Fills = invocation.Fills.Select(f => f.IndexOf('=', StringComparison.Ordinal) is > 0 and var at && at < f.Length - 1
                    ? (Column: f[..at].Trim(), Value: f[(at + 1)..].Trim())
                    : throw new UsageException($"--fill {f}: expected column=SQL, e.g. --fill \"Sku='none'\" or --fill \"products.Sku=concat('sku-', \\\"Id\\\")\"."))
                .GroupBy(f => f.Column, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal),
            SkipPending = invocation.SkipPending,
            GenerationSkipped = invocation.GenerationSkipped,
            Runner = new RunnerArguments
            {
                Target = invocation.To,
                Phase = invocation.Phase switch
                {
                    null => null,
                    "expand" => "expand",
                    "contract" => "contract",
                    var other => throw new UsageException($"--phase {other}: expected expand or contract."),
                },
                DryRun = invocation.DryRun,
                AllowOutOfOrder = invocation.AllowOutOfOrder,
                AcceptChecksums = invocation.AcceptChecksums,
                Force = invocation.Force,
                LockTimeoutMs = invocation.LockTimeout is { } timeout ? (int.TryParse(timeout, out var ms) && ms > 0 ? ms : throw new UsageException($"--lock-timeout {timeout}: expected milliseconds.")) : null,
                Retries = invocation.Retries is { } retries ? (int.TryParse(retries, out var count) && count >= 0 ? count : throw new UsageException($"--retries {retries}: expected a count.")) : null,
                Migration = invocation.Migration,
                Throttle = Throttle(invocation.Throttle),
                Limit = invocation.Limit is { } limit && int.TryParse(limit, out var rows) && rows > 0 ? rows : 50,
                Rows = invocation.Rows is { } seeded ? (int.TryParse(seeded, out var r) && r >= 0 ? r : throw new UsageException($"--rows {seeded}: expected a count of rows per table.")) : 10_000,
                CopySchema = invocation.CopySchema,
                Sample = invocation.Sample,
                PgDump = invocation.PgDump ?? "pg_dump",
                LockBudgetMs = invocation.LockBudget is { } budget ? (int.TryParse(budget, out var b) && b > 0 ? b : throw new UsageException($"--lock-budget {budget}: expected milliseconds.")) : null,
                PurgeOlderThanDays = invocation.PurgeDays is { } days ? (int.TryParse(days, out var d) && d >= 0 ? d : throw new UsageException($"--purge-older-than {days}: expected a number of days.")) : null,
            },
            AppArguments = [.. invocation.AppArguments],
        };
    }

    private static Core.Runner.ThrottleLimits Throttle(string? text)
    {
        try
        {
            return text is null ? new Core.Runner.ThrottleLimits() : Core.Runner.ThrottleLimits.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }
}

/// <summary>What apply, rollback, history and restore were asked to do.</summary>
internal sealed record RunnerArguments
{
    /// <summary>backups: drop the backups older than this many days first.</summary>
    public int? PurgeOlderThanDays { get; init; }

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

    /// <summary>verify: rows seeded per table.</summary>
    public int Rows { get; init; } = 10_000;

    /// <summary>verify: the SM4005 budget for a write-blocking lock.</summary>
    public int? LockBudgetMs { get; init; }

    /// <summary>verify: start the shadow from --from's schema and history instead of the migrations.</summary>
    public bool CopySchema { get; init; }

    /// <summary>verify: copy up to <see cref="Rows"/> rows per table from --from instead of generating them.</summary>
    public bool Sample { get; init; }

    public string PgDump { get; init; } = "pg_dump";

    /// <summary>apply and rollback: when background work pauses for the application.</summary>
    public Core.Runner.ThrottleLimits Throttle { get; init; } = new();
}

/// <summary>A command line the host cannot act on (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
