using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SafeMigrations.Design.Protocol;
using Spectre.Console;

namespace SafeMigrations.Cli;

/// <summary>
/// safemig apply | rollback | history | restore: the runner (SafeMigrations.Runtime) run by the design host in
/// the app's own process, on the app's EF Core and Npgsql. Exit codes: 0 done, 1 the runner refused or a
/// migration failed (SMxxxx, cause and fix), 2 usage, load or connection error.
/// </summary>
internal static class RunnerCommandGroup
{
    /// <summary>text or json: the runner commands and verify.</summary>
    internal static readonly Option<string> FormatOption = new("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
    private static readonly Option<string?> ToOption = new("--to") { Description = "apply: up to and including this migration (id or name); rollback: revert the migrations after it (0: all)." };
    private static readonly Option<string?> PhaseOption = new("--phase") { Description = "expand (before the new release rolls out) or contract (after): apply only the leading migrations of that phase." };
    private static readonly Option<bool> DryRunOption = new("--dry-run") { Description = "Show the SQL that would run; change nothing." };
    private static readonly Option<bool> OutOfOrderOption = new("--allow-out-of-order") { Description = "Apply a migration that sorts before one already applied." };
    private static readonly Option<bool> AcceptChecksumsOption = new("--accept-checksums") { Description = "Record the current SQL of applied migrations whose checksum changed (SM4004), e.g. after an EF Core upgrade." };
    private static readonly Option<int?> LockTimeoutOption = new("--lock-timeout") { Description = "lock_timeout for DDL, in milliseconds (default 500)." };
    private static readonly Option<string?> ThrottleOption = new("--throttle")
    {
        Description = "When a backfill or a concurrent build pauses for the application: off, or limits to change from the defaults, e.g. lock-waiters=3,active=40,replica-lag=5s,max-pause=10m (sessions of the migrated database; defaults: 5 sessions waiting for locks, active sessions unchecked, replica lag 10 s, pause at most 15 m; a bare replica-lag is ms, a bare max-pause s).",
    };

    private static readonly Option<int?> RetriesOption = new("--retries") { Description = "Retries after a lock timeout, deadlock or watchdog cancel (default 10)." };
    private static readonly Option<bool> ForceOption = new("--force") { Description = "rollback: run Down even for migrations whose data does not come back (dropped columns and tables)." };
    private static readonly Option<int> LimitOption = new("--limit") { Description = "history: how many migration steps to show, newest first.", DefaultValueFactory = _ => 50 };
    private static readonly Option<string> MigrationOption = new("--migration") { Description = "restore: the migration whose dropped columns or tables to put back (its name or id).", Required = true };
    private static readonly Option<string?> PurgeOption = new("--purge") { Description = "Drop the backups of this migration (its name or id): the dropped values then go for good." };
    private static readonly Option<int?> PurgeOlderThanOption = new("--purge-older-than") { Description = "Drop the backups older than this many days (every run drops those older than SafeMigrationOptions.BackupRetention, 30 days)." };

    public static IEnumerable<Command> Commands(CommandContext context)
    {
        FormatOption.AcceptOnlyFromAmong("text", "json");
        PhaseOption.AcceptOnlyFromAmong("expand", "contract");
        var apply = new Command("apply", "Apply the pending migrations safely: one runner at a time (advisory lock), lock and statement timeouts with retries, a watchdog, an audit trail, integrity checks with rollback, backups of dropped data.")
        {
            DatabaseTarget.ConnectionOption("The database to migrate", throwawayWithout: true), FormatOption, ToOption, PhaseOption, DryRunOption, OutOfOrderOption, AcceptChecksumsOption, LockTimeoutOption, RetriesOption, ThrottleOption,
        };
        var rollback = new Command("rollback", "Revert applied migrations after --to with their Down, newest first; refuses those whose data would not come back unless --force, and says which.")
        {
            DatabaseTarget.ConnectionOption("The database whose migrations to revert", throwawayWithout: false), FormatOption, ToOption, DryRunOption, ForceOption, LockTimeoutOption, RetriesOption,
        };
        var history = new Command("history", "The runner's audit trail: each migration step with its run, who applied it, from where, its checksum, duration, retries, lock waits and outcome.") { DatabaseTarget.ConnectionOption("The database whose audit trail to read", throwawayWithout: false), FormatOption, LimitOption };
        var restore = new Command("restore", "Put back the columns and tables a migration dropped, from the backup the runner took before the drop (roll the migration back first).") { DatabaseTarget.ConnectionOption("The database to put the backed-up data back into", throwawayWithout: false), FormatOption, MigrationOption };
        var backups = new Command("backups", "The runner's backups of dropped columns and tables (schema safemigrations_backup): migration, what, when, size, rows; --purge or --purge-older-than drops them.")
        {
            DatabaseTarget.ConnectionOption("The database whose backups to list", throwawayWithout: false), FormatOption, PurgeOption, PurgeOlderThanOption,
        };
        foreach (var command in new[] { apply, rollback, history, restore, backups })
        {
            context.SetAction(command, (parse, token) => RunAsync(command.Name, context, parse, token));
        }

        return [apply, rollback, history, restore, backups];
    }

    /// <summary>Runs one runner command through the design host; returns the host's answer.</summary>
    public static async Task<HostOutput> HostAsync(
        string command, Action<HostInvocation>? configure, string connection, GateOptions options, IAnsiConsole console, bool showProgress, CancellationToken token)
    {
        var runner = new DesignHostRunner(options);
        var (result, _) = await RunProgressDisplay.ShowAsync(console, showProgress, (status, progress) => runner.RunAsync(command, configure, connection, status, token, progress));
        return result;
    }

    private static async Task<int> RunAsync(string command, CommandContext context, ParseResult parse, CancellationToken token)
    {
        var format = parse.GetValue(FormatOption)!;
        var connection = DatabaseTarget.ConnectionOf(parse);
        if (command == "apply" && parse.GetValue(ThrottleOption) is { } throttle)
        {
            // Said before anything is built or started: Core reads the limits as the host will.
            try
            {
                Core.Runner.ThrottleLimits.Parse(throttle);
            }
            catch (FormatException e)
            {
                throw new CliException(e.Message);
            }
        }

        // Only apply may use a throwaway database: the others read or undo what a real one holds.
        await using var database = command == "apply"
            ? await DatabaseTarget.GivenOrThrowawayAsync(connection, _ => { }, token)
            : DatabaseTarget.Given(command, connection);
        if (database.IsThrowaway && format == "text")
        {
            context.Console.MarkupLine("[grey]No --connection: applying to a throwaway embedded PostgreSQL, removed when safemig exits.[/]");
        }

        var result = await HostAsync(command, host => Configure(host, command, parse), database.ConnectionString, context.Options(parse), context.Console, format == "text", token);
        if (format == "json")
        {
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(result, HostJson.Options));
        }
        else
        {
            new RunReport(context.Console).Write(result);
        }

        return HostExitCodes.Of(result);
    }

    private static void Configure(HostInvocation host, string command, ParseResult parse)
    {
        host.To = parse.GetValue(ToOption);
        host.Phase = parse.GetValue(PhaseOption);
        host.LockTimeout = parse.GetValue(LockTimeoutOption)?.ToString(CultureInfo.InvariantCulture);
        host.Retries = parse.GetValue(RetriesOption)?.ToString(CultureInfo.InvariantCulture);
        host.Throttle = command == "apply" ? parse.GetValue(ThrottleOption) : null;
        host.Limit = command == "history" ? parse.GetValue(LimitOption).ToString(CultureInfo.InvariantCulture) : null;
        host.Migration = command switch
        {
            "restore" => parse.GetValue(MigrationOption),
            "backups" => parse.GetValue(PurgeOption),
            _ => null,
        };
        host.PurgeDays = command == "backups" ? parse.GetValue(PurgeOlderThanOption)?.ToString(CultureInfo.InvariantCulture) : null;
        host.DryRun = parse.GetValue(DryRunOption);
        host.AllowOutOfOrder = parse.GetValue(OutOfOrderOption);
        host.AcceptChecksums = parse.GetValue(AcceptChecksumsOption);
        host.Force = parse.GetValue(ForceOption);
    }
}
