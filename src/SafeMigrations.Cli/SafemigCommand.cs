using System.CommandLine;
using System.Text.Json;
using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;
using SafeMigrations.EmbeddedPostgres;
using Spectre.Console;

namespace SafeMigrations.Cli;

/// <summary>
/// safemig check | status | plan | overview | migrations add | lock update, and the runner's apply | rollback | history | restore. Exit codes: 0 clean, 1 findings (errors),
/// 2 usage or load error (what safemig could not do, with the fix).
/// </summary>
internal static class SafemigCommand
{
    private static readonly Option<string?> ProjectOption = new("--project", "-p") { Description = "The project holding the DbContext and its migrations (default: the one in the current folder, or the one that references Microsoft.EntityFrameworkCore.Design).", Recursive = true };
    private static readonly Option<string?> StartupOption = new("--startup-project", "-s") { Description = "The startup project, when the migrations live in a class library.", Recursive = true };
    private static readonly Option<string[]> ContextOption = new("--context", "-c") { Description = "The DbContext to check (repeatable; default: all).", Recursive = true, AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string> ConfigurationOption = new("--configuration") { Description = "The build configuration.", Recursive = true, DefaultValueFactory = _ => "Debug" };
    private static readonly Option<string?> FrameworkOption = new("--framework", "-f") { Description = "The target framework of a multi-targeted project.", Recursive = true };
    private static readonly Option<bool> NoBuildOption = new("--no-build") { Description = "Do not build the project first.", Recursive = true };
    private static readonly Option<string?> BaselineOption = new("--baseline") { Description = "Migrations up to this id predate adoption and are not judged.", Recursive = true };
    private static readonly Option<int?> PostgresOption = new("--target-postgres") { Description = "The PostgreSQL major version you run (default 15).", Recursive = true };
    private static readonly Option<bool> VerboseOption = new("--verbose", "-v") { Description = "Show what the app prints while safemig runs it (its logging, its startup's output), on standard error, unchanged.", Recursive = true };
    private static readonly Option<string[]> SeverityOption = new("--severity") { Description = "A rule's severity, e.g. SM1020=none (repeatable).", Recursive = true };
    private static readonly Option<string> FormatOption = new("--format") { Description = "text, json or sarif.", DefaultValueFactory = _ => "text" };
    private static readonly Option<string?> OutputOption = new("--output", "-o") { Description = "Write the report to this file instead of the console." };
    private static readonly Option<bool> WarnOnlyOption = new("--warn-only") { Description = "Report errors as warnings; exit 0." };
    private static readonly Option<string?> ConnectionOption = new("--connection") { Description = "The database to compare with (default: SAFEMIGRATIONS_CONNECTION_STRING, else a throwaway embedded PostgreSQL)." };
    private static readonly Option<bool> ApplyOption = new("--apply") { Description = "overview: also apply the pending migrations to the database given with --connection (the throwaway default is always applied to)." };
    private static readonly Option<string?> OutputDirOption = new("--output-dir") { Description = "Where to write the migration (default: next to the existing ones)." };
    private static readonly Argument<string?> NameArgument = new("name") { Description = "The migration's name (default: derived from the changes, e.g. AddTodoItemPriority).", Arity = ArgumentArity.ZeroOrOne };

    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        FormatOption.AcceptOnlyFromAmong("text", "json", "sarif");
        var root = new RootCommand("safemig: zero-downtime checks for EF Core + PostgreSQL migrations, on the model EF Core really builds.");
        foreach (var option in new Option[] { ProjectOption, StartupOption, ContextOption, ConfigurationOption, FrameworkOption, NoBuildOption, BaselineOption, PostgresOption, SeverityOption, VerboseOption })
        {
            root.Options.Add(option);
        }

        var check = new Command("check", "Run the build gate's checks: every migration against the rules, pending model changes (SM3001), the lock file (SM3002/SM3003), previous-release compatibility (SM3005).")
        {
            FormatOption, OutputOption, WarnOnlyOption,
        };
        check.SetAction((parse, token) => Guard(error, () => CheckAsync(parse, console, output, token)));

        var status = new Command("status", "Show which migrations a database has applied, pending model changes and the lock file's state.") { ConnectionOption, FormatOption };
        status.SetAction((parse, token) => Guard(error, () => DatabaseCommandAsync("status", parse, console, output, token)));

        var plan = new Command("plan", "Show the SQL of the migrations a database has not applied: each statement with the lock it takes, whether it runs outside a transaction, and its findings.") { ConnectionOption, FormatOption };
        plan.SetAction((parse, token) => Guard(error, () => DatabaseCommandAsync("plan", parse, console, output, token)));

        var overview = new Command("overview", "check, status and plan in one screen: the findings, which migrations the database has applied, and the SQL still to run with the lock each statement takes; then, on the throwaway embedded PostgreSQL (the default) or with --apply, apply them with the runner and show the status and the audit trail.") { ConnectionOption, ApplyOption };
        overview.SetAction((parse, token) => Guard(error, () => DatabaseCommandAsync("overview", parse, console, output, token)));

        var drift = new Command("drift", "Compare the live schema (read with the provider's reverse-engineering services) with the model EF builds: missing or extra tables, columns, types, NOT NULL, indexes and foreign keys (SM4003).") { ConnectionOption, FormatOption };
        drift.SetAction((parse, token) => Guard(error, () => DriftAsync(parse, console, output, token)));

        var add = new Command("add", "Scaffold the pending model changes with EF Core, rewritten into their safe form (concurrent indexes and NOT VALID constraints in migrations of their own).") { NameArgument, OutputDirOption };
        add.SetAction((parse, token) => Guard(error, () => AddAsync(parse, console, token)));
        var migrations = new Command("migrations", "Scaffold migrations.") { add };

        var lockUpdate = new Command("update", "Re-record every migration in the lock file as it is now (only for migrations no database applied yet).");
        lockUpdate.SetAction((parse, token) => Guard(error, () => LockUpdateAsync(parse, console, token)));
        var lockCommand = new Command("lock", "The migrations lock file.") { lockUpdate };

        root.Subcommands.Add(check);
        root.Subcommands.Add(status);
        root.Subcommands.Add(plan);
        root.Subcommands.Add(overview);
        root.Subcommands.Add(drift);
        root.Subcommands.Add(migrations);
        root.Subcommands.Add(lockCommand);
        foreach (var runnerCommand in RunnerCommandLine.Commands(Options, console, output, error))
        {
            root.Subcommands.Add(runnerCommand);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync("error: " + parseError.Message);
            }

            await error.WriteLineAsync("Run 'safemig --help' for usage.");
            return HostExitCodes.UsageOrLoadError;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    private static async Task<int> CheckAsync(ParseResult parse, IAnsiConsole console, TextWriter output, CancellationToken token)
    {
        var options = Options(parse) with { WarnOnly = parse.GetValue(WarnOnlyOption) };
        var format = parse.GetValue(FormatOption)!;
        var runner = new DesignHostRunner(options);
        var (result, project) = await WithStatus(console, format == "text", status => runner.RunAsync("check", host =>
        {
            host.Lock = HostInvocation.IsContinuousIntegration() ? "verify" : "update";
            host.ErrorsAsWarnings = options.WarnOnly;
        }, connection: null, status, token));
        await Emit(format, parse.GetValue(OutputOption), result, project, console, output, options, report => report.Findings(result, options.WarnOnly));
        return ExitCode(result, options.WarnOnly);
    }

    private static async Task<int> DatabaseCommandAsync(string command, ParseResult parse, IAnsiConsole console, TextWriter output, CancellationToken token)
    {
        var options = Options(parse);
        var format = command == "overview" ? "text" : parse.GetValue(FormatOption)!;
        var connection = parse.GetValue(ConnectionOption) ?? Environment.GetEnvironmentVariable("SAFEMIGRATIONS_CONNECTION_STRING");
        PostgresServer? server = null;
        try
        {
            string description;
            if (string.IsNullOrWhiteSpace(connection))
            {
                server = await WithStatus(console, format == "text", status =>
                {
                    status("Starting a throwaway PostgreSQL …");
                    return PostgresServer.StartAsync(cancellationToken: token);
                });
                connection = await server.CreateDatabaseAsync("safemig", token);
                description = "a throwaway embedded PostgreSQL with an empty database (every migration is pending): pass --connection to compare with yours";
            }
            else
            {
                description = ConnectionStrings.Describe(connection);
            }

            var runner = new DesignHostRunner(options);
            // The host's plan carries everything: the checks' findings, each migration's applied state and its SQL.
            var hostCommand = command == "overview" ? "plan" : command;
            var (result, project) = await WithStatus(console, format == "text", status => runner.RunAsync(hostCommand, host => host.Lock = "verify", connection, status, token));
            await Emit(format, outputFile: null, result, project, console, output, options, report =>
            {
                switch (command)
                {
                    case "overview":
                        Heading(console, "check");
                        report.Findings(result, warnOnly: false);
                        Heading(console, "status");
                        report.Status(result, description);
                        Heading(console, "plan");
                        report.Plan(result, description);
                        break;
                    case "plan":
                        report.Plan(result, description);
                        break;
                    default:
                        report.Status(result, description);
                        break;
                }
            });
            var code = ExitCode(result, warnOnly: false);
            if (command == "overview" && code != HostExitCodes.UsageOrLoadError && (server is not null || parse.GetValue(ApplyOption)))
            {
                code = Math.Max(code, await ApplyAndShowAsync(options, connection, server is not null ? "the same throwaway embedded PostgreSQL, after safemig apply" : description, console, token));
            }

            return code;
        }
        catch (Exception e) when (e is PostgresNotInstalledException or EmbeddedPostgresException)
        {
            throw new CliException(e.Message + " Or pass --connection to use a PostgreSQL you run.");
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<int> DriftAsync(ParseResult parse, IAnsiConsole console, TextWriter output, CancellationToken token)
    {
        var options = Options(parse);
        var format = parse.GetValue(FormatOption)!;
        var connection = parse.GetValue(ConnectionOption) ?? Environment.GetEnvironmentVariable("SAFEMIGRATIONS_CONNECTION_STRING");
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new CliException("drift needs a database: pass --connection \"Host=…;Database=…;Username=…\" or set SAFEMIGRATIONS_CONNECTION_STRING.");
        }

        var (result, project) = await WithStatus(console, format == "text", status => new DesignHostRunner(options).RunAsync("drift", null, connection, status, token));
        await Emit(format, outputFile: null, result, project, console, output, options, report => report.Findings(result, warnOnly: false));
        return ExitCode(result, warnOnly: false);
    }

    /// <summary>overview's second half: apply with the runner, then the status and the audit trail it left.</summary>
    private static async Task<int> ApplyAndShowAsync(GateOptions options, string connection, string description, IAnsiConsole console, CancellationToken token)
    {
        var built = options with { NoBuild = true };
        Heading(console, "apply");
        var applied = await RunnerCommandLine.HostAsync("apply", null, connection, built, console, showProgress: true, token);
        RunnerCommandLine.Render(applied, console);
        var code = ExitCode(applied, warnOnly: false);
        Heading(console, "status");
        var (status, _) = await WithStatus(console, true, progress => new DesignHostRunner(built).RunAsync("status", host => (host.Lock, host.SkipPending) = ("off", true), connection, progress, token));
        new TextReport(console, options.WorkingDirectory).Status(status, description);
        Heading(console, "history");
        var history = await RunnerCommandLine.HostAsync("history", null, connection, built, console, showProgress: false, token);
        RunnerCommandLine.Render(history, console);
        code = Math.Max(code, ExitCode(history, warnOnly: false));
        Heading(console, "drift");
        var (drift, _) = await WithStatus(console, true, progress => new DesignHostRunner(built).RunAsync("drift", null, connection, progress, token));
        new TextReport(console, options.WorkingDirectory).Findings(drift, warnOnly: false);
        return Math.Max(code, ExitCode(drift, warnOnly: false));
    }

    private static async Task<int> AddAsync(ParseResult parse, IAnsiConsole console, CancellationToken token)
    {
        var options = Options(parse);
        var runner = new DesignHostRunner(options);
        var (result, _) = await WithStatus(console, true, status => runner.RunAsync("add", host =>
        {
            host.MigrationName = parse.GetValue(NameArgument) is { Length: > 0 } name ? name : null;
            host.OutputDirectory = parse.GetValue(OutputDirOption) is { Length: > 0 } outputDir ? outputDir : null;
        }, connection: null, status, token));
        new TextReport(console, options.WorkingDirectory).Written(result);
        if (ExitCode(result, warnOnly: false) == HostExitCodes.UsageOrLoadError)
        {
            return HostExitCodes.UsageOrLoadError;
        }

        // Judge what was written, as the next build will: the new files must be compiled first, even under --no-build.
        console.WriteLine();
        var checkOptions = options with { NoBuild = false };
        var (checkResult, _) = await WithStatus(console, true, status => new DesignHostRunner(checkOptions).RunAsync("check", host => host.Lock = "off", connection: null, status, token));
        new TextReport(console, options.WorkingDirectory).Findings(checkResult, warnOnly: false);
        return ExitCode(checkResult, warnOnly: false);
    }

    private static async Task<int> LockUpdateAsync(ParseResult parse, IAnsiConsole console, CancellationToken token)
    {
        var options = Options(parse);
        var (result, _) = await WithStatus(console, true, status => new DesignHostRunner(options).RunAsync("lock-update", null, connection: null, status, token));
        new TextReport(console, options.WorkingDirectory).Written(result);
        return ExitCode(result, warnOnly: false);
    }

    private static GateOptions Options(ParseResult parse) => new()
    {
        Project = parse.GetValue(ProjectOption),
        StartupProject = parse.GetValue(StartupOption),
        Contexts = parse.GetValue(ContextOption) ?? [],
        Configuration = parse.GetValue(ConfigurationOption) ?? "Debug",
        Framework = parse.GetValue(FrameworkOption),
        NoBuild = parse.GetValue(NoBuildOption),
        Baseline = parse.GetValue(BaselineOption),
        TargetPostgresVersion = parse.GetValue(PostgresOption),
        Severities = parse.GetValue(SeverityOption) ?? [],
        Verbose = parse.GetValue(VerboseOption),
    };

    private static async Task Emit(string format, string? outputFile, HostOutput result, ProjectMetadata project, IAnsiConsole console, TextWriter output, GateOptions options, Action<TextReport> text)
    {
        var content = format switch
        {
            "json" => JsonSerializer.Serialize(result, HostJson.Options),
            "sarif" => SarifReport.Write(result, project.ProjectPath),
            _ => null,
        };
        if (content is null)
        {
            text(new TextReport(console, options.WorkingDirectory));
        }
        else if (outputFile is not null)
        {
            await File.WriteAllTextAsync(outputFile, content);
            var errors = result.Findings.Count(f => f.Severity == Severity.Error);
            var warnings = result.Findings.Count(f => f.Severity == Severity.Warning);
            console.MarkupLine($"Wrote {Markup.Escape(outputFile)}: {(errors > 0 && !options.WarnOnly ? "[red]" : "[green]")}{errors} error(s)[/], {warnings} warning(s).");
        }
        else
        {
            await output.WriteLineAsync(content);
        }
    }

    private static void Heading(IAnsiConsole console, string title)
    {
        console.WriteLine();
        console.MarkupLine($"[bold underline]safemig {title}[/]");
    }

    private static int ExitCode(HostOutput result, bool warnOnly) => HostExitCodes.Of(result, warnOnly);

    private static async Task<T> WithStatus<T>(IAnsiConsole console, bool show, Func<Action<string>, Task<T>> work)
    {
        if (!show || !console.Profile.Capabilities.Interactive)
        {
            return await work(_ => { });
        }

        return await console.Status().StartAsync("Starting …", context => work(message => context.Status(Markup.Escape(message))));
    }

    /// <summary>Runs a command: a CliException or a cancel is one "error:" line and exit code 2.</summary>
    internal static async Task<int> Guard(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (CliException e)
        {
            await error.WriteLineAsync("error: " + e.Message);
            return HostExitCodes.UsageOrLoadError;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("error: cancelled.");
            return HostExitCodes.UsageOrLoadError;
        }
    }
}
