using System.Globalization;
using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;
using Spectre.Console;

namespace SafeMigrations.Cli;

/// <summary>
/// The runner's answers as text (apply, rollback, history, restore): each context's steps or audit trail, its notes and
/// its error with the failing statement; with several contexts, a line per context last. The gate's answers are <see cref="TextReport"/>'s.
/// </summary>
internal sealed class RunReport(IAnsiConsole console)
{
    /// <summary>What each context's run did, then (with more than one context) a line per context; findings no run carries last.</summary>
    public void Write(HostOutput result)
    {
        var several = result.Runs.Count(r => r.Context is not null) > 1;
        foreach (var run in result.Runs)
        {
            if (several)
            {
                console.MarkupLine($"[bold]{Markup.Escape(run.Context!)}[/]");
            }

            Write(run, several);
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

    private void Write(RunOutput run, bool several)
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
                    ? ["started (UTC)", "context", "migration", "direction", "outcome", "by", "host", "statements", "retries", "lock wait", "paused", "duration", "checksum"]
                    : ["started (UTC)", "migration", "direction", "outcome", "by", "host", "statements", "retries", "lock wait", "paused", "duration", "checksum"]);

            foreach (var row in run.History)
            {
                var cells = new List<string>
                {
                    row.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Markup.Escape(row.MigrationId), row.Direction,
                    row.Outcome == "applied" ? "[green]applied[/]" : $"[red]{Markup.Escape(row.Outcome)}[/]", Markup.Escape(row.AppliedBy), Markup.Escape(row.Host),
                    row.Statements.ToString(CultureInfo.InvariantCulture), row.Retries.ToString(CultureInfo.InvariantCulture), Ms(row.LockWaitMs),
                    row.Pauses == 0 ? "-" : $"{row.Pauses.ToString(CultureInfo.InvariantCulture)}× {Ms(row.PausedMs)}", Ms(row.DurationMs), row.Checksum[..Math.Min(12, row.Checksum.Length)],
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

        if (run.Command == "backups" && run.Error is null)
        {
            WriteBackups(run);
        }

        if (run.RowsRestored is { } rows)
        {
            console.MarkupLine($"[green]Restored {rows} rows' values[/] [grey](counted once per backed-up column or table)[/]");
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

    private static string Ms(double ms) => ms >= 1000 ? (ms / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s" : ms.ToString("0", CultureInfo.InvariantCulture) + " ms";


    private void WriteBackups(RunOutput run)
    {
        if (run.BackupsPurged is { } purged)
        {
            console.MarkupLine($"[green]Dropped {purged} backup(s).[/]");
        }

        if (run.Backups.Count == 0)
        {
            console.MarkupLine("[grey]No backups: the runner keeps one when a migration it applies or rolls back drops a column or table.[/]");
            return;
        }

        var table = new Table().AddColumns("migration", "dropped", "by", "taken", "rows", "size", "backup");
        foreach (var backup in run.Backups)
        {
            table.AddRow(
                Markup.Escape(backup.MigrationId),
                Markup.Escape(backup.SourceSchema + "." + backup.SourceTable + (backup.Column is null ? string.Empty : "." + backup.Column)),
                backup.TakenBy == "down" ? "Down" : "Up",
                Markup.Escape(Age(DateTimeOffset.UtcNow - backup.TakenAt) + " ago"),
                backup.Rows.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(Size(backup.Bytes)),
                Markup.Escape("safemigrations_backup." + backup.BackupTable));
        }

        console.Write(table);
        console.MarkupLine($"[grey]{run.Backups.Count} backup(s), {Markup.Escape(Size(run.Backups.Sum(b => b.Bytes)))}, readable only by the role that runs migrations. dotnet safemig restore --migration <name> puts one back; dotnet safemig backups --purge <name> drops it.[/]");
    }

    private static string Age(TimeSpan age) =>
        age.TotalDays >= 1 ? $"{(int)age.TotalDays} d" : age.TotalHours >= 1 ? $"{(int)age.TotalHours} h" : $"{Math.Max(0, (int)age.TotalMinutes)} min";

    private static string Size(long bytes) =>
        bytes >= 1 << 30 ? $"{bytes / (double)(1 << 30):0.#} GB" : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.#} MB" : $"{bytes / 1024.0:0.#} kB";
}
