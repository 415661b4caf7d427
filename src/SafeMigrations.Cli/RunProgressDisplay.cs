using SafeMigrations.Design.Protocol;
using Spectre.Console;

namespace SafeMigrations.Cli;

internal static class RunProgressDisplay
{
    /// <summary>
    /// Shows the host's progress. Interactive: a progress bar per migration (a backfill's fills as its rows go,
    /// against PostgreSQL's estimate) under one for the run, the running statement in its description.
    /// Redirected: a line per finished or reverted migration.
    /// </summary>
    public static async Task<T> ShowAsync<T>(IAnsiConsole console, bool show, Func<Action<string>, Action<string>, Task<T>> work)
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

                if (progress.Kind == "Stage")
                {
                    console.MarkupLine($"[bold]{Markup.Escape(progress.Detail)}[/]");
                }
                else if (progress.Kind == "MigrationFinished")
                {
                    console.MarkupLine($"  [green]✓[/] {Markup.Escape(progress.MigrationId)} [grey]({progress.Index + 1}/{progress.Total}, {progress.ElapsedMs:0} ms)[/]");
                }
                else if (progress.Kind == "RollingBack")
                {
                    console.MarkupLine($"  [yellow]↶[/] reverting {Markup.Escape(progress.MigrationId)}");
                }
                else if (progress.Kind == "BackfillResumed")
                {
                    console.MarkupLine($"  [yellow]↷[/] {Markup.Escape(progress.MigrationId)}: {Markup.Escape(progress.Detail)}");
                }
                else if (progress.Kind is "Paused" or "Resumed")
                {
                    console.MarkupLine($"  [yellow]{(progress.Kind == "Paused" ? "⏸" : "▶")}[/] {Markup.Escape(progress.MigrationId)}: {Markup.Escape(progress.Detail)}{(progress.Kind == "Resumed" ? $" [grey](after {progress.ElapsedMs:0} ms)[/]" : string.Empty)}");
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
                            case "Stage":
                                current?.StopTask();
                                current = null;
                                currentId = null;
                                context.AddTask(Markup.Escape(progress.Detail), maxValue: 1).Value = 1;
                                break;
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
                            case "BackfillResumed" or "Paused" when current is not null:
                                current.Description = Markup.Escape($"{progress.MigrationId}: {Shorten(progress.Detail, 80)}");
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
}
