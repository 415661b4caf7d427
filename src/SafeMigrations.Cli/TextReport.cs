using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;
using Spectre.Console;

namespace SafeMigrations.Cli;

/// <summary>What people read: findings, migration status and plans as tables, in colour when the terminal has it.</summary>
internal sealed class TextReport(IAnsiConsole console, string baseDirectory)
{
    public void Findings(HostOutput output, bool warnOnly)
    {
        foreach (var context in output.Contexts)
        {
            // drift reads the live schema, not the migrations: no count to give there.
            var migrations = output.Command == "drift" ? string.Empty : $", {context.Migrations.Count} migration{(context.Migrations.Count == 1 ? string.Empty : "s")}";
            console.MarkupLine($"[bold]{Markup.Escape(context.Name)}[/] [grey]({Markup.Escape(context.Provider ?? "no provider")}, EF Core {Markup.Escape(output.EfCoreVersion ?? "?")}{migrations})[/]");
            Notes(context);
        }

        // Compiler style, one finding per entry: readable at any width, and the location is one token to click or grep.
        var findings = output.Findings.Where(f => f.Severity != Severity.None).ToList();
        foreach (var finding in findings.OrderByDescending(f => Rank(f.Severity)).ThenBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line))
        {
            console.MarkupLine($"{Label(finding.Severity, warnOnly)} [bold]{finding.RuleId}[/] {Markup.Escape(Where(finding))}");
            console.MarkupLine($"    {Markup.Escape(finding.Message)}");
        }

        var errors = findings.Count(f => f.Severity == Severity.Error);
        var warnings = findings.Count(f => f.Severity == Severity.Warning);
        var infos = findings.Count - errors - warnings;
        console.MarkupLine(errors > 0 && !warnOnly
            ? $"[red bold]{errors} error(s)[/], {warnings} warning(s), {infos} info."
            : $"[green bold]No errors[/]: {errors} error(s) reported as warnings, {warnings} warning(s), {infos} info.".Replace("0 error(s) reported as warnings, ", string.Empty, StringComparison.Ordinal));
    }

    public void Status(HostOutput output, string databaseDescription)
    {
        console.MarkupLine($"[grey]database:[/] {Markup.Escape(databaseDescription)}");
        if (LoadErrors(output))
        {
            return;
        }

        foreach (var context in output.Contexts)
        {
            console.MarkupLine($"[bold]{Markup.Escape(context.Name)}[/] [grey]({Markup.Escape(context.Provider ?? "?")}, EF Core {Markup.Escape(output.EfCoreVersion ?? "?")})[/]");
            Notes(context);
            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumn("Migration");
            table.AddColumn("Database");
            table.AddColumn("Findings");
            foreach (var migration in context.Migrations)
            {
                var findings = output.Findings.Where(f => f.Context == context.Name && f.MigrationId == migration.Id).ToList();
                table.AddRow(
                    new Text(migration.Id),
                    new Markup(migration.Applied switch { true => "[green]applied[/]", false => "[yellow]pending[/]", null => "[grey]?[/]" }),
                    new Markup(Summary(findings)));
            }

            console.Write(table);
            console.MarkupLine(context.PendingChanges.Count == 0
                ? "[grey]model:[/] [green]no pending model changes[/]"
                : $"[grey]model:[/] [red]{context.PendingChanges.Count} change(s) no migration captures[/]");
            foreach (var change in context.PendingChanges)
            {
                console.MarkupLine($"  • {Markup.Escape(change.Description)} {(change.RuleIds.Count == 0 ? "[green](safe)[/]" : $"[red]({Markup.Escape(string.Join(", ", change.RuleIds))})[/]")}");
            }

            console.MarkupLine($"[grey]lock file:[/] {Markup.Escape(LockState(context))}");
        }
    }

    /// <summary>
    /// The database could not be read, or the app not loaded: said first and alone, so an unreadable database never
    /// looks like one with nothing to apply.
    /// </summary>
    private bool LoadErrors(HostOutput output)
    {
        var errors = output.Findings.Where(f => f.RuleId == Core.Rules.RuleIds.DesignHostFailed).ToList();
        foreach (var error in errors)
        {
            console.MarkupLine($"[red]error {Markup.Escape(error.RuleId)}[/]: {Markup.Escape(error.Message)}");
        }

        return errors.Count > 0;
    }

    public void Plan(HostOutput output, string databaseDescription)
    {
        console.MarkupLine($"[grey]database:[/] {Markup.Escape(databaseDescription)}");
        if (LoadErrors(output))
        {
            return;
        }

        foreach (var context in output.Contexts)
        {
            // An empty migration is still one the runner applies: counted and shown, so plan and apply agree.
            var pending = context.Migrations.Where(m => m.Applied == false || m.Applied is null && m.Commands.Count > 0).ToList();
            console.MarkupLine($"[bold]{Markup.Escape(context.Name)}[/]: {pending.Count} migration(s) to apply");
            foreach (var migration in pending)
            {
                console.WriteLine();
                console.MarkupLine($"[bold underline]{Markup.Escape(migration.Id)}[/]");
                if (migration.Commands.Count == 0)
                {
                    console.MarkupLine("  [grey]no statements: it only records its id in the history table[/]");
                    continue;
                }

                var table = new Table().Border(TableBorder.Simple);
                table.AddColumn("Statement");
                table.AddColumn("Lock on its table");
                table.AddColumn("Transaction");
                foreach (var command in migration.Commands)
                {
                    var statements = command.Statements.Count > 0
                        ? command.Statements
                        : [new StatementOutput(command.Sql, command.Sql, "?", "unknown", null, false, false, false)];
                    foreach (var statement in statements)
                    {
                        var lockText = statement.Lock == "no" || statement.Table is null ? "[grey]none[/]"
                            : statement.NewTable ? $"[grey]{Markup.Escape(statement.Lock)} {Markup.Escape(statement.Table ?? string.Empty)}: new table, blocks no one[/]"
                            : $"{(statement.BlocksReads ? "[red]" : statement.BlocksWrites ? "[yellow]" : "[green]")}{Markup.Escape(statement.Lock)}[/] [grey]{Markup.Escape(statement.Table ?? string.Empty)}: {Markup.Escape(statement.LockEffect)}{(statement.LiveSize is { } size ? $" ({Markup.Escape(size)})" : string.Empty)}[/]";
                        table.AddRow(new Text(OneLine(statement.Sql)), new Markup(lockText), new Markup(command.TransactionSuppressed ? "[yellow]outside[/]" : "inside"));
                    }
                }

                console.Write(table);
                foreach (var finding in output.Findings.Where(f => f.Context == context.Name && f.MigrationId == migration.Id && f.Severity != Severity.Info))
                {
                    console.MarkupLine($"  {Label(finding.Severity, warnOnly: false)} [bold]{finding.RuleId}[/] {Markup.Escape(Where(finding))}: {Markup.Escape(finding.Message)}");
                }
            }
        }
    }

    public void Written(HostOutput output)
    {
        foreach (var context in output.Contexts)
        {
            Notes(context);
            foreach (var file in context.WrittenFiles)
            {
                console.MarkupLine($"  [green]wrote[/] {Markup.Escape(Path.GetRelativePath(baseDirectory, file))}");
            }
        }

        foreach (var finding in output.Findings)
        {
            console.MarkupLine($"{Label(finding.Severity, warnOnly: false)} [bold]{finding.RuleId}[/]: {Markup.Escape(finding.Message)}");
        }
    }

    private void Notes(ContextOutput context)
    {
        foreach (var note in context.Notes)
        {
            console.MarkupLine($"  [grey]{Markup.Escape(note)}[/]");
        }
    }

    private static string LockState(ContextOutput context) => context.LockState switch
    {
        "UpToDate" => $"up to date ({context.LockFile})",
        "Written" => $"updated ({context.LockFile})",
        "Missing" => $"none yet: a build creates {context.LockFile}",
        "Broken" => $"needs attention ({context.LockFile}): see the findings",
        _ => "not checked",
    };

    private string Where(FindingOutput finding) =>
        finding.File is { } file ? $"{Path.GetRelativePath(baseDirectory, file)}:{finding.Line}" : finding.MigrationId ?? finding.Context ?? string.Empty;

    private static string Summary(IReadOnlyList<FindingOutput> findings)
    {
        if (findings.Count == 0)
        {
            return "[green]none[/]";
        }

        var parts = new List<string>();
        foreach (var (severity, colour) in new[] { (Severity.Error, "red"), (Severity.Warning, "yellow"), (Severity.Info, "grey") })
        {
            var count = findings.Count(f => f.Severity == severity);
            if (count > 0)
            {
                parts.Add($"[{colour}]{count} {severity.ToString().ToLowerInvariant()}[/] ({Markup.Escape(string.Join(", ", findings.Where(f => f.Severity == severity).Select(f => f.RuleId).Distinct()))})");
            }
        }

        return string.Join(", ", parts);
    }

    private static string Label(Severity severity, bool warnOnly) => severity switch
    {
        Severity.Error when warnOnly => "[yellow]error→warning[/]",
        Severity.Error => "[red]error[/]",
        Severity.Warning => "[yellow]warning[/]",
        _ => "[grey]info[/]",
    };

    private static int Rank(Severity severity) => (int)severity;

    private static string OneLine(string sql)
    {
        var line = string.Join(' ', sql.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        return line.Length > 90 ? line[..87] + "..." : line;
    }
}
