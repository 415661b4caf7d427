using System.CommandLine;
using SafeMigrations.Design.Protocol;

namespace SafeMigrations.Cli;

/// <summary>
/// safemig status | plan | overview | drift: what a database has applied, the SQL still to run with the lock each
/// statement takes, and how its live schema differs from the model.
/// </summary>
internal static class SchemaCommandGroup
{
    private static readonly Option<bool> ApplyOption = new("--apply") { Description = "overview: also apply the pending migrations to the database given with --connection (the throwaway default is always applied to)." };

    public static IEnumerable<Command> Commands(CommandContext context)
    {
        var status = new Command("status", "Show which migrations a database has applied, pending model changes and the lock file's state.") { DatabaseTarget.ConnectionOption("The database whose applied migrations to show", throwawayWithout: true), SafemigCommand.FormatOption };
        context.SetAction(status, (parse, token) => ShowAsync("status", context, parse, token));

        var plan = new Command("plan", "Show the SQL of the migrations a database has not applied: each statement with the lock it takes, whether it runs outside a transaction, and its findings.") { DatabaseTarget.ConnectionOption("The database whose pending migrations to plan", throwawayWithout: true), SafemigCommand.FormatOption };
        context.SetAction(plan, (parse, token) => ShowAsync("plan", context, parse, token));

        var overview = new Command("overview", "check, status and plan in one screen: the findings, which migrations the database has applied, and the SQL still to run with the lock each statement takes; then, on the throwaway embedded PostgreSQL (the default) or with --apply, apply them with the runner and show the status and the audit trail.") { DatabaseTarget.ConnectionOption("The database to show and, with --apply, migrate", throwawayWithout: true), ApplyOption };
        context.SetAction(overview, (parse, token) => ShowAsync("overview", context, parse, token));

        var drift = new Command("drift", "Compare the live schema (read with the provider's reverse-engineering services) with the model EF builds: missing or extra tables, columns, types, NOT NULL, indexes and foreign keys (SM4003).") { DatabaseTarget.ConnectionOption("The live database to compare with the model", throwawayWithout: false), SafemigCommand.FormatOption };
        context.SetAction(drift, (parse, token) => DriftAsync(context, parse, token));

        return [status, plan, overview, drift];
    }

    private static async Task<int> ShowAsync(string command, CommandContext context, ParseResult parse, CancellationToken token)
    {
        var options = context.Options(parse);
        var format = command == "overview" ? "text" : parse.GetValue(SafemigCommand.FormatOption)!;
        await using var database = await context.WithStatus(format == "text", status => DatabaseTarget.GivenOrThrowawayAsync(DatabaseTarget.ConnectionOf(parse), status, token));

        // The host's plan carries everything: the checks' findings, each migration's applied state and its SQL.
        var hostCommand = command == "overview" ? "plan" : command;
        var (result, project) = await context.WithStatus(format == "text", status => new DesignHostRunner(options).RunAsync(hostCommand, host => host.Lock = "verify", database.ConnectionString, status, token));
        await context.EmitAsync(format, outputFile: null, result, project, options, report =>
        {
            switch (command)
            {
                case "overview":
                    context.Heading("check");
                    report.Findings(result, warnOnly: false);
                    context.Heading("status");
                    report.Status(result, database.Description);
                    context.Heading("plan");
                    report.Plan(result, database.Description);
                    break;
                case "plan":
                    report.Plan(result, database.Description);
                    break;
                default:
                    report.Status(result, database.Description);
                    break;
            }
        });
        var code = HostExitCodes.Of(result);
        if (command == "overview" && code != HostExitCodes.UsageOrLoadError && (database.IsThrowaway || parse.GetValue(ApplyOption)))
        {
            code = Math.Max(code, await ApplyAndShowAsync(context, options, database, token));
        }

        return code;
    }

    private static async Task<int> DriftAsync(CommandContext context, ParseResult parse, CancellationToken token)
    {
        var options = context.Options(parse);
        var format = parse.GetValue(SafemigCommand.FormatOption)!;
        await using var database = DatabaseTarget.Given("drift", DatabaseTarget.ConnectionOf(parse));
        var (result, project) = await context.WithStatus(format == "text", status => new DesignHostRunner(options).RunAsync("drift", null, database.ConnectionString, status, token));
        await context.EmitAsync(format, outputFile: null, result, project, options, report => report.Findings(result, warnOnly: false));
        return HostExitCodes.Of(result);
    }

    /// <summary>overview's second half: apply with the runner, then the status, the audit trail it left and the drift.</summary>
    private static async Task<int> ApplyAndShowAsync(CommandContext context, GateOptions options, DatabaseTarget database, CancellationToken token)
    {
        var built = options with { NoBuild = true };
        var connection = database.ConnectionString;
        context.Heading("apply");
        var applied = await RunnerCommandGroup.HostAsync("apply", null, connection, built, context.Console, showProgress: true, token);
        new RunReport(context.Console).Write(applied);
        var code = HostExitCodes.Of(applied);

        context.Heading("status");
        var (status, _) = await context.WithStatus(true, progress => new DesignHostRunner(built).RunAsync("status", host => (host.Lock, host.SkipPending) = ("off", true), connection, progress, token));
        var description = database.IsThrowaway ? "the same throwaway embedded PostgreSQL, after dotnet safemig apply" : database.Description;
        new TextReport(context.Console, options.WorkingDirectory).Status(status, description);

        context.Heading("history");
        var history = await RunnerCommandGroup.HostAsync("history", null, connection, built, context.Console, showProgress: false, token);
        new RunReport(context.Console).Write(history);
        code = Math.Max(code, HostExitCodes.Of(history));

        context.Heading("drift");
        var (drift, _) = await context.WithStatus(true, progress => new DesignHostRunner(built).RunAsync("drift", null, connection, progress, token));
        new TextReport(context.Console, options.WorkingDirectory).Findings(drift, warnOnly: false);
        return Math.Max(code, HostExitCodes.Of(drift));
    }
}
