using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;
using Spectre.Console;

namespace SafeMigrations.Cli;

/// <summary>
/// safemig verify: replay migrations on a shadow database and report what PostgreSQL really did: each statement's
/// observed lock beside the one SafeMigrations claims, rewrites, durations on seeded rows, the Down/Up round trip;
/// a self-contained HTML page with a lock timeline. Exit codes as apply: 1 with SM4005/SM4006 or a failed migration.
/// </summary>
internal static class VerifyCommand
{
    private static readonly Option<string?> SinceOption = new("--since") { Description = "Verify the migrations after this one (id or name; 0: all). Default: the newest migration only." };
    private static readonly Option<int?> RowsOption = new("--rows") { Description = "Rows generated per table before the verified migrations run (default 10000)." };
    private static readonly Option<int?> LockBudgetOption = new("--lock-budget") { Description = "Milliseconds a statement may hold a write-blocking lock on an existing table before it is SM4005 (default 1000)." };
    private static readonly Option<string?> FromOption = new("--from") { Description = "A production-like database to scale the findings to: its table sizes (pg_class, read-only) turn each lock held on the shadow into an estimate for the real table." };
    private static readonly Option<bool> CopySchemaOption = new("--copy-schema") { Description = "Start the shadow from --from's schema and migration history (pg_dump --schema-only, read-only) instead of the migrations: verify the migrations that database has pending, on the schema it really has." };
    private static readonly Option<bool> SampleOption = new("--sample") { Description = "Copy up to --rows rows per table from --from (read-only; rows whose foreign keys find no parent in the sample stay out) instead of generating them." };
    private static readonly Option<string> ReportOption = new("--report") { Description = "Where to write the HTML report.", DefaultValueFactory = _ => "safemig-verify.html" };

    public static Command Create(CommandContext context)
    {
        var verify = new Command("verify", "Replay migrations on a shadow database (a throwaway embedded PostgreSQL, or --connection to an EMPTY database): seed rows, apply with the runner while watching each statement's locks (pg_locks), rewrites (relfilenode) and duration, then Down and Up again; compare every observed lock with the lock SafeMigrations claims, and write an HTML report with a lock timeline.")
        {
            DatabaseTarget.ConnectionOption("An empty database to use as the shadow (never your real one)", throwawayWithout: true), RunnerCommandGroup.FormatOption, SinceOption, RowsOption, LockBudgetOption, FromOption, CopySchemaOption, SampleOption, ReportOption,
        };
        context.SetAction(verify, (parse, token) => RunAsync(context, parse, token));
        return verify;
    }

    private static async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken token)
    {
        var format = parse.GetValue(RunnerCommandGroup.FormatOption)!;
        var from = parse.GetValue(FromOption);
        if (from is null && (parse.GetValue(CopySchemaOption) || parse.GetValue(SampleOption)))
        {
            throw new CliException("--copy-schema and --sample read a production-like database: give it with --from \"Host=…;Database=…;Username=…\" (a role that may read it is enough).");
        }

        if (parse.GetValue(CopySchemaOption) && parse.GetValue(SinceOption) is not null)
        {
            throw new CliException("--copy-schema verifies what --from has pending: leave out --since.");
        }

        // Only --connection names a shadow: the connection string in the environment is the app's own database.
        await using var database = await DatabaseTarget.GivenOrThrowawayAsync(DatabaseTarget.ConnectionOf(parse), _ => { }, token, environment: _ => null);
        var result = await RunnerCommandGroup.HostAsync("verify", host =>
        {
            host.Migration = parse.GetValue(SinceOption);
            host.Rows = parse.GetValue(RowsOption)?.ToString(CultureInfo.InvariantCulture);
            host.LockBudget = parse.GetValue(LockBudgetOption)?.ToString(CultureInfo.InvariantCulture);
            host.From = from;
            host.CopySchema = parse.GetValue(CopySchemaOption);
            host.Sample = parse.GetValue(SampleOption);
            host.PgDump = host.CopySchema ? PgDump() : null;
        }, database.ConnectionString, context.Options(parse), context.Console, format == "text", token);

        var report = Path.GetFullPath(parse.GetValue(ReportOption)!);
        if (result.Runs.Any(r => r.Verify is not null))
        {
            await File.WriteAllTextAsync(report, VerifyHtmlReport.Render(result), token);
        }

        if (format == "json")
        {
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(result, HostJson.Options));
            return HostExitCodes.Of(result);
        }

        foreach (var run in result.Runs.Where(r => r.Verify is not null))
        {
            Write(context.Console, run, result.Findings.Where(f => f.Context == run.Context).ToList());
        }

        // What verify found is said above; the run report adds only what it did not say (a load or connection error).
        new RunReport(context.Console).Write(result with
        {
            Runs = result.Runs.Where(r => r.Verify is null).ToList(),
            Findings = result.Findings.Where(f => f.RuleId is not (RuleIds.ObservedBlockingLock or RuleIds.RollbackChangedSchema)).ToList(),
        });
        if (result.Runs.Any(r => r.Verify is not null))
        {
            context.Console.MarkupLine($"Report: [link]{Markup.Escape(report)}[/]");
        }

        return HostExitCodes.Of(result);
    }

    /// <summary>The pg_dump <see cref="EmbeddedPostgres.PostgresBinaries.PgDump"/> finds; "pg_dump" for the OS to find when no server is installed.</summary>
    private static string PgDump()
    {
        try
        {
            return EmbeddedPostgres.PostgresBinaries.Locate().PgDump;
        }
        catch (EmbeddedPostgres.PostgresNotInstalledException)
        {
            return "pg_dump";
        }
    }

    private static void Write(IAnsiConsole console, RunOutput run, IReadOnlyList<FindingOutput> findings)
    {
        var verify = run.Verify!;
        console.MarkupLine($"[bold]{Markup.Escape(run.Context ?? string.Empty)}[/]: verified {verify.Migrations.Count} migration(s) on a shadow with up to {verify.RowsPerTable} rows per table"
            + (verify.Base is null ? string.Empty : $" (base: {Markup.Escape(verify.Base)})"));
        foreach (var note in verify.SeedNotes)
        {
            console.MarkupLine($"  [grey]{Markup.Escape(note)}[/]");
        }

        var table = new Table().Border(TableBorder.Simple);
        // With more than one migration verified, each statement says whose it is.
        var many = verify.Migrations.Count > 1;
        foreach (var column in (many ? ["Migration"] : Array.Empty<string>()).Concat(["Statement", "Claimed", "Observed", "Rewrite", "Locks held", "Application stalled"]))
        {
            table.AddColumn(column);
        }

        foreach (var statement in verify.Statements)
        {
            var cells = new List<Spectre.Console.Rendering.IRenderable>();
            if (many)
            {
                cells.Add(new Text(statement.MigrationId.Length > 15 && statement.MigrationId[14] == '_' ? statement.MigrationId[15..] : statement.MigrationId));
            }

            table.AddRow([.. cells, 
                new Text(VerifyHtmlReport.OneLine(statement.Sql, 70)),
                new Text(VerifyHtmlReport.Locks(statement.Claimed)),
                new Markup(Markup.Escape(VerifyHtmlReport.Locks(statement.Observed)) + (statement.Agrees ? " [green]" : " [red]") + "(" + Markup.Escape(statement.Verdict) + ")[/]"),
                new Text(statement.Rewritten.Count == 0 ? "-" : string.Join(", ", statement.Rewritten)),
                new Text(VerifyHtmlReport.Held(statement)),
                new Text(VerifyHtmlReport.Stalled(statement))]);
        }

        console.Write(table);
        foreach (var statement in verify.Statements.Where(s => s.Waits.Count > 0))
        {
            console.MarkupLine($"  [grey]waited:[/] {Markup.Escape(VerifyHtmlReport.OneLine(statement.Sql, 60))} {Markup.Escape(string.Join(", ", statement.Waits))}");
        }

        foreach (var statement in verify.Statements.Where(s => s.Impact is not null))
        {
            console.MarkupLine($"  [yellow]live:[/] {Markup.Escape(VerifyHtmlReport.OneLine(statement.Sql, 60))} {Markup.Escape(statement.Impact!)}");
        }

        if (verify.UpError is { } up)
        {
            console.MarkupLine($"[red]Up failed:[/] {Markup.Escape(up)}");
        }

        if (verify.RoundTrip is { } trip)
        {
            console.MarkupLine(trip.DownError is { } down ? $"[red]Down failed:[/] {Markup.Escape(down)}"
                : trip.LostByDown.Count + trip.LeftByDown.Count == 0 ? "[green]Down restored the schema[/]" + (trip.SecondUpError is null ? "[green], and Up ran again.[/]" : string.Empty)
                : $"[red]Down left the schema different[/] ({trip.LostByDown.Count + trip.LeftByDown.Count} difference(s))");
            if (trip.SecondUpError is { } again)
            {
                console.MarkupLine($"[red]The second Up failed:[/] {Markup.Escape(again)}");
            }
        }

        foreach (var finding in findings.Where(f => f.Severity >= Severity.Warning))
        {
            console.MarkupLine($"[red]error {Markup.Escape(finding.RuleId)}[/]{(string.IsNullOrEmpty(finding.MigrationId) ? string.Empty : " " + Markup.Escape(finding.MigrationId))}: {Markup.Escape(finding.Message)}");
        }
    }
}
