using System.CommandLine;
using System.Text.Json;
using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;
using Spectre.Console;

namespace SafeMigrations.Cli;

/// <summary>What every command group needs: where to write, the options all commands share, and the ways a command shows its work.</summary>
internal sealed class CommandContext(IAnsiConsole console, TextWriter output, TextWriter error, Func<ParseResult, GateOptions> options)
{
    public IAnsiConsole Console { get; } = console;

    /// <summary>Standard output: a report asked for as json or sarif goes here, alone, to be piped.</summary>
    public TextWriter Output { get; } = output;

    public GateOptions Options(ParseResult parse) => options(parse);

    /// <summary>Runs the command on invocation: a <see cref="CliException"/> or a cancel is one "error:" line and exit code 2.</summary>
    public void SetAction(Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, token) =>
        {
            try
            {
                return await action(parse, token);
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
        });

    /// <summary>Writes a host's answer as text on the console, or as json or sarif to standard output or a file.</summary>
    public async Task EmitAsync(string format, string? outputFile, HostOutput result, ProjectMetadata project, GateOptions gateOptions, Action<TextReport> text)
    {
        var content = format switch
        {
            "json" => JsonSerializer.Serialize(result, HostJson.Options),
            "sarif" => SarifReport.Write(result, project.ProjectPath),
            _ => null,
        };
        if (content is null)
        {
            text(new TextReport(Console, gateOptions.WorkingDirectory));
        }
        else if (outputFile is not null)
        {
            await File.WriteAllTextAsync(outputFile, content);
            var errors = result.Findings.Count(f => f.Severity == Severity.Error);
            var warnings = result.Findings.Count(f => f.Severity == Severity.Warning);
            Console.MarkupLine($"Wrote {Markup.Escape(outputFile)}: {(errors > 0 && !gateOptions.WarnOnly ? "[red]" : "[green]")}{errors} error(s)[/], {warnings} warning(s).");
        }
        else
        {
            await Output.WriteLineAsync(content);
        }
    }

    /// <summary>A section of a screen that shows several commands' answers (overview).</summary>
    public void Heading(string title)
    {
        Console.WriteLine();
        Console.MarkupLine($"[bold underline]safemig {title}[/]");
    }

    /// <summary>Runs work under a spinner whose text the work sets, when the console is interactive and the report is text.</summary>
    public async Task<T> WithStatus<T>(bool show, Func<Action<string>, Task<T>> work)
    {
        if (!show || !Console.Profile.Capabilities.Interactive)
        {
            return await work(_ => { });
        }

        return await Console.Status().StartAsync("Starting …", context => work(message => context.Status(Markup.Escape(message))));
    }
}
