using System.CommandLine;
using SafeMigrations.Design.Protocol;
using Spectre.Console;

namespace SafeMigrations.Cli;

/// <summary>
/// The safemig command line: the options every command shares, and the command groups (<see cref="GateCommandGroup"/>,
/// <see cref="SchemaCommandGroup"/>, <see cref="RunnerCommandGroup"/>). Exit codes: 0 clean, 1 findings (errors) or a
/// refused or failed run, 2 usage or load error (what safemig could not do, with the fix).
/// </summary>
internal static class SafemigCommand
{
    /// <summary>The report format of the commands that judge: text, json or sarif.</summary>
    public static readonly Option<string> FormatOption = new("--format") { Description = "text, json or sarif.", DefaultValueFactory = _ => "text" };

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

    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        FormatOption.AcceptOnlyFromAmong("text", "json", "sarif");
        var root = new RootCommand("safemig: zero-downtime checks for EF Core + PostgreSQL migrations, on the model EF Core really builds.");
        foreach (var option in new Option[] { ProjectOption, StartupOption, ContextOption, ConfigurationOption, FrameworkOption, NoBuildOption, BaselineOption, PostgresOption, SeverityOption, VerboseOption })
        {
            root.Options.Add(option);
        }

        var context = new CommandContext(console, output, error, Options);
        foreach (var command in GateCommandGroup.Commands(context).Concat(SchemaCommandGroup.Commands(context)).Concat(RunnerCommandGroup.Commands(context)).Append(VerifyCommand.Create(context)).Append(ExplainCommand.Create(context)).Append(Init.InitCommand.Create(context)))
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync("error: " + parseError.Message);
            }

            await error.WriteLineAsync("Run 'dotnet safemig --help' for usage.");
            return HostExitCodes.UsageOrLoadError;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
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
}
