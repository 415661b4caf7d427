using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;
using SafeMigrations.EmbeddedPostgres;
using Spectre.Console;

namespace SafeMigrations.Cli;

/// <summary>
/// safemig apply | rollback | history | restore: the runner (SafeMigrations.Runtime) run by the design host in
/// the app's own process, on the app's EF Core and Npgsql. Exit codes: 0 done, 1 the runner refused or a
/// migration failed (SMxxxx, cause and fix), 2 usage, load or connection error.
/// </summary>
internal static class RunnerCommandLine
{
    private static readonly Option<string?> ConnectionOption = new("--connection") { Description = "The database (default: SAFEMIGRATIONS_CONNECTION_STRING; apply without one uses a throwaway embedded PostgreSQL)." };
    private static readonly Option<string> FormatOption = new("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
    private static readonly Option<string?> ToOption = new("--to") { Description = "apply: up to and including this migration (id or name); rollback: revert the migrations after it (0: all)." };
    private static readonly Option<string?> PhaseOption = new("--phase") { Description = "expand (before the new release rolls out) or contract (after): apply only the leading migrations of that phase." };
    private static readonly Option<bool> DryRunOption = new("--dry-run") { Description = "Show the SQL that would run; change nothing." };
    private static readonly Option<bool> OutOfOrderOption = new("--allow-out-of-order") { Description = "Apply a migration that sorts before one already applied." };
    private static readonly Option<bool> AcceptChecksumsOption = new("--accept-checksums") { Description = "Record the current SQL of applied migrations whose checksum changed (SM4004), e.g. after an EF Core upgrade." };
    private static readonly Option<int?> LockTimeoutOption = new("--lock-timeout") { Description = "lock_timeout for DDL, in milliseconds (default 500)." };
    private static readonly Option<int?> RetriesOption = new("--retries") { Description = "Retries after a lock timeout, deadlock or watchdog cancel (default 10)." };
    private static readonly Option<bool> ForceOption = new("--force") { Description = "rollback: run Down even for migrations whose data does not come back (dropped columns and tables)." };
    private static readonly Option<int> LimitOption = new("--limit") { Description = "history: how many migration steps to show, newest first.", DefaultValueFactory = _ => 50 };
    private static readonly Option<string> MigrationOption = new("--migration") { Description = "restore: the migration whose dropped columns or tables to put back.", Required = true };

    public static IEnumerable<Command> Commands(Func<ParseResult, GateOptions> options, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        FormatOption.AcceptOnlyFromAmong("text", "json");
        PhaseOption.AcceptOnlyFromAmong("expand", "contract");
        var apply = new Command("apply", "Apply the pending migrations safely: one runner at a time (advisory lock), lock and statement timeouts with retries, a watchdog, an audit trail, integrity checks with rollback, backups of dropped data.")
        {
            ConnectionOption, FormatOption, ToOption, PhaseOption, DryRunOption, OutOfOrderOption, AcceptChecksumsOption, LockTimeoutOption, RetriesOption,
        };
        apply.SetAction((parse, token) => SafemigCommand.Guard(error, () => RunAsync("apply", parse, options(parse), console, output, token)));
        var rollback = new Command("rollback", "Revert applied migrations after --to with their Down, newest first; refuses those whose data would not come back unless --force, and says which.")
        {
            ConnectionOption, FormatOption, ToOption, DryRunOption, ForceOption, LockTimeoutOption, RetriesOption,
        };
        rollback.SetAction((parse, token) => SafemigCommand.Guard(error, () => RunAsync("rollback", parse, options(parse), console, output, token)));
        var history = new Command("history", "The runner's audit trail: each migration step with its run, who applied it, from where, its checksum, duration, retries, lock waits and outcome.") { ConnectionOption, FormatOption, LimitOption };
        history.SetAction((parse, token) => SafemigCommand.Guard(error, () => RunAsync("history", parse, options(parse), console, output, token)));
        var restore = new Command("restore", "Put back the columns and tables a migration dropped, from the backup the runner took before the drop (roll the migration back first).") { ConnectionOption, FormatOption, MigrationOption };
        restore.SetAction((parse, token) => SafemigCommand.Guard(error, () => RunAsync("restore", parse, options(parse), console, output, token)));
        return [apply, rollback, history, restore];
    }

    /// <summary>Runs one runner command through the design host; returns the host's answer.</summary>
    public static async Task<HostOutput> HostAsync(
        string command, Action<HostInvocation>? configure, string connection, GateOptions options, IAnsiConsole console, bool showProgress, CancellationToken token)
    {
        var runner = new DesignHostRunner(options);
        var (result, _) = await Progress(console, showProgress, (status, progress) => runner.RunAsync(command, configure, connection, status, token, progress));
        return result;
    }

    private static async Task<int> RunAsync(string command, ParseResult parse, GateOptions options, IAnsiConsole console, TextWriter output, CancellationToken token)
    {
        var format = parse.GetValue(FormatOption)!;
        var connection = parse.GetValue(ConnectionOption) ?? Environment.GetEnvironmentVariable("SAFEMIGRATIONS_CONNECTION_STRING");
        PostgresServer? server = null;
        try
        {
            if (string.IsNullOrWhiteSpace(connection))
            {
                if (command != "apply")
                {
                    throw new CliException($"{command} needs a database: pass --connection \"Host=…;Database=…;Username=…\" or set SAFEMIGRATIONS_CONNECTION_STRING.");
                }

                server = await PostgresServer.StartAsync(cancellationToken: token);
                connection = await server.CreateDatabaseAsync("safemig", token);
                if (format == "text")
                {
                    console.MarkupLine("[grey]No --connection: applying to a throwaway embedded PostgreSQL, removed when safemig exits.[/]");
                }
            }

            var result = await HostAsync(command, host => Configure(host, command, parse), connection, options, console, format == "text", token);
            if (format == "json")
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(result, HostJson.Options));
            }
            else
            {
                Render(result, console);
            }

            return HostExitCodes.Of(result);
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

    /// <summary>What each context's run did, then (with more than one context) a line per context; findings no run carries last.</summary>
    public static void Render(HostOutput result, IAnsiConsole console)
    {
        var several = result.Runs.Count(r => r.Context is not null) > 1;
        foreach (var run in result.Runs)
        {
            if (several)
            {
                console.MarkupLine($"[bold]{Markup.Escape(run.Context!)}[/]");
            }

            RenderRun(run, console, several);
        }

        if (several)
        {
            console.WriteLine();
            foreach (var run in result.Runs)
            {
                console.MarkupLine($"{Markup.Escape(run.Context!)}: {Outcome(run)}");
            }
        }

        // An error no run carries (a context that could not be created, a --to no context has) is said too: no error goes unsaid.
        var carried = result.Runs.Select(r => r.Error?.Message).ToHashSet();
        foreach (var finding in result.Findings.Where(f => f.Severity == Severity.Error && !carried.Contains(f.Message)))
        {
            console.MarkupLine($"[red]error {Markup.Escape(finding.RuleId)}:[/] {(finding.Context is { } context ? Markup.Escape(context) + ": " : string.Empty)}{Markup.Escape(finding.Message)}");
        }
    }

    private static void RenderRun(RunOutput run, IAnsiConsole console, bool several)
    {
        if (run.Skipped is { } skipped)
        {
            console.MarkupLine($"[grey]not run: {Markup.Escape(skipped)}.[/]");
            return;
        }

        if (run.Steps.Count > 0)
        {
            if (IsDryRun(run))
            {
                foreach (var step in run.Steps)
                {
                    console.MarkupLine($"[bold]{Markup.Escape(step.MigrationId)}[/] [grey]({step.Direction}, {step.Phase})[/]");
                    foreach (var sql in step.Sql)
                    {
                        console.WriteLine("  " + sql.Trim().ReplaceLineEndings(Environment.NewLine + "  "));
                    }
                }
            }
            else
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumns("migration", "direction", "phase", "statements", "retries", "lock wait", "duration");
                foreach (var step in run.Steps)
                {
                    table.AddRow(Markup.Escape(step.MigrationId), step.Direction, step.Phase, step.Statements.ToString(CultureInfo.InvariantCulture),
                        step.Retries.ToString(CultureInfo.InvariantCulture), Ms(step.LockWaitMs), Ms(step.DurationMs));
                }

                console.Write(table);
            }
        }
        else if (run.Command is "apply" or "rollback" && run.Error is null)
        {
            console.MarkupLine(run.Command == "apply" ? "[green]Nothing to apply: the database is up to date.[/]" : "[green]Nothing to roll back.[/]");
        }

        if (run.History.Count > 0)
        {
            // The database's trail, for more than one context: each row says whose migration it is.
            var withContext = run.Context is null && run.History.Any(r => r.Context is not null);
            var table = new Table().Border(TableBorder.Rounded).AddColumns(
                withContext
                    ? ["started (UTC)", "context", "migration", "direction", "outcome", "by", "host", "statements", "retries", "lock wait", "duration", "checksum"]
                    : ["started (UTC)", "migration", "direction", "outcome", "by", "host", "statements", "retries", "lock wait", "duration", "checksum"]);

            foreach (var row in run.History)
            {
                var cells = new List<string>
                {
                    row.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Markup.Escape(row.MigrationId), row.Direction,
                    row.Outcome == "applied" ? "[green]applied[/]" : $"[red]{Markup.Escape(row.Outcome)}[/]", Markup.Escape(row.AppliedBy), Markup.Escape(row.Host),
                    row.Statements.ToString(CultureInfo.InvariantCulture), row.Retries.ToString(CultureInfo.InvariantCulture), Ms(row.LockWaitMs), Ms(row.DurationMs), row.Checksum[..Math.Min(12, row.Checksum.Length)],
                };
                if (withContext)
                {
                    cells.Insert(1, Markup.Escape(row.Context ?? "?"));
                }

                table.AddRow(cells.ToArray());
            }

            console.Write(table);
        }
        else if (run.Command == "history" && run.Error is null)
        {
            console.MarkupLine("[grey]No audit trail yet: the runner has not applied migrations to this database.[/]");
        }

        if (run.RowsRestored is { } rows)
        {
            console.MarkupLine($"[green]Restored {rows} rows.[/]");
        }

        foreach (var remaining in run.Remaining)
        {
            console.MarkupLine($"[grey]not applied in this phase: {Markup.Escape(remaining)}[/]");
        }

        foreach (var note in run.Notes)
        {
            console.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        }

        if (run.Error is { } failure)
        {
            console.MarkupLine($"[red]error {Markup.Escape(failure.RuleId)}:[/] {(several ? Markup.Escape(run.Context!) + ": " : string.Empty)}{Markup.Escape(failure.Message)}");
            if (failure.FailingStatement is { } statement)
            {
                // A backfill's DO block runs to thirty lines: its head says which it is (--format json has all of it).
                var lines = statement.Trim().ReplaceLineEndings("\n").Split('\n');
                var shown = string.Join(Environment.NewLine, lines.Take(6)) + (lines.Length > 6 ? $"{Environment.NewLine}… ({lines.Length - 6} more lines)" : string.Empty);
                console.MarkupLine($"[grey]failing statement:[/] {Markup.Escape(shown)}");
            }
        }
    }

    /// <summary>One line per context for the summary.</summary>
    private static string Outcome(RunOutput run)
    {
        var count = run.Steps.Count;
        var verb = run.Command == "rollback" ? "reverted" : "applied";
        return run switch
        {
            { Skipped: { } why } => $"[grey]not run ({Markup.Escape(why)})[/]",
            { Error: { } error } => $"[red]failed[/] ({Markup.Escape(error.RuleId)}{(error.MigrationId is null ? string.Empty : " at " + Markup.Escape(error.MigrationId))}){(count > 0 ? $" after {count} {verb}" : string.Empty)}",
            { RowsRestored: { } rows } => $"[green]restored {rows} rows[/]",
            _ when count > 0 && IsDryRun(run) => $"{count} to {(run.Command == "rollback" ? "revert" : "apply")} (dry run)",
            _ when count > 0 => $"[green]{count} {verb}[/]",
            _ => run.Command == "rollback" ? "[green]nothing to roll back[/]" : "[green]up to date[/]",
        };
    }

    private static bool IsDryRun(RunOutput run) => run.Steps.Any(s => s.Sql.Count > 0);

    private static void Configure(HostInvocation host, string command, ParseResult parse)
    {
        host.To = parse.GetValue(ToOption);
        host.Phase = parse.GetValue(PhaseOption);
        host.LockTimeout = parse.GetValue(LockTimeoutOption)?.ToString(CultureInfo.InvariantCulture);
        host.Retries = parse.GetValue(RetriesOption)?.ToString(CultureInfo.InvariantCulture);
        host.Limit = command == "history" ? parse.GetValue(LimitOption).ToString(CultureInfo.InvariantCulture) : null;
        host.Migration = command == "restore" ? parse.GetValue(MigrationOption) : null;
        host.DryRun = parse.GetValue(DryRunOption);
        host.AllowOutOfOrder = parse.GetValue(OutOfOrderOption);
        host.AcceptChecksums = parse.GetValue(AcceptChecksumsOption);
        host.Force = parse.GetValue(ForceOption);
    }

    private static string Ms(double ms) => ms >= 1000 ? (ms / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s" : ms.ToString("0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>
    /// Shows the host's progress. Interactive: a progress bar per migration (a backfill's fills as its rows go,
    /// against PostgreSQL's estimate) under one for the run, the running statement in its description.
    /// Redirected: a line per finished or reverted migration.
    /// </summary>
    private static async Task<T> Progress<T>(IAnsiConsole console, bool show, Func<Action<string>, Action<string>, Task<T>> work)
    {
        if (!show)
        {
            return await work(_ => { }, _ => { });
        }

        if (!console.Profile.Capabilities.Interactive)
        {
            return await work(_ => { }, line =>
            {
                if (HostProgress.Parse(line) is not { } progress)
                {
                    return;
                }

                if (progress.Kind == "MigrationFinished")
                {
                    console.MarkupLine($"  [green]✓[/] {Markup.Escape(progress.MigrationId)} [grey]({progress.Index + 1}/{progress.Total}, {progress.ElapsedMs:0} ms)[/]");
                }
                else if (progress.Kind == "RollingBack")
                {
                    console.MarkupLine($"  [yellow]↶[/] reverting {Markup.Escape(progress.MigrationId)}");
                }
            });
        }

        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var run = context.AddTask("starting …", maxValue: 1);
                ProgressTask? current = null;
                string? currentId = null;
                var result = await work(
                    status => run.Description = Markup.Escape(status),
                    line =>
                    {
                        if (HostProgress.Parse(line) is not { } progress)
                        {
                            return;
                        }

                        switch (progress.Kind)
                        {
                            case "MigrationStarted" when currentId == progress.MigrationId:
                                break; // a rollback announced it already
                            case "MigrationStarted":
                            case "RollingBack":
                                currentId = progress.MigrationId;
                                run.MaxValue = Math.Max(progress.Total, 1);
                                run.Description = progress.Kind == "RollingBack" ? "rolling back" : "migrations";
                                current?.StopTask();
                                current = context.AddTask(Markup.Escape((progress.Kind == "RollingBack" ? "↶ " : string.Empty) + progress.MigrationId), maxValue: 1);
                                break;
                            case "StatementStarted" when current is not null:
                                current.Description = Markup.Escape($"{progress.MigrationId}: {Shorten(progress.Detail, 60)}");
                                break;
                            case "Backfilled" when current is not null:
                                current.MaxValue = Math.Max(Math.Max(progress.RowsEstimate, progress.Rows), 1);
                                current.Value = progress.Rows;
                                current.Description = Markup.Escape($"{progress.MigrationId}: backfill {progress.Rows:N0} of ~{current.MaxValue:N0} rows");
                                break;
                            case "MigrationFinished" when current is not null:
                                current.Value = current.MaxValue;
                                current.Description = Markup.Escape(progress.MigrationId);
                                current.StopTask();
                                run.Increment(1);
                                break;
                        }
                    });
                current?.StopTask();
                run.Value = run.MaxValue;
                run.StopTask();
                return result;
            });
    }

    private static string Shorten(string text, int length) => text.Length > length ? text[..length] + " …" : text;

    /// <summary>One "@progress" line of the design host: kind, index, total, migration, elapsed ms, rows, estimated rows, detail.</summary>
    private sealed record HostProgress(string Kind, int Index, int Total, string MigrationId, double ElapsedMs, long Rows, long RowsEstimate, string Detail)
    {
        public static HostProgress? Parse(string line)
        {
            var parts = line.Split('\t');
            if (parts.Length < 9
                || !int.TryParse(parts[2], CultureInfo.InvariantCulture, out var index) || !int.TryParse(parts[3], CultureInfo.InvariantCulture, out var total)
                || !double.TryParse(parts[5], CultureInfo.InvariantCulture, out var elapsed)
                || !long.TryParse(parts[6], CultureInfo.InvariantCulture, out var rows) || !long.TryParse(parts[7], CultureInfo.InvariantCulture, out var estimate))
            {
                return null;
            }

            return new HostProgress(parts[1], index, total, parts[4], elapsed, rows, estimate, parts[8]);
        }
    }

}
