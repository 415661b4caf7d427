using System.CommandLine;
using SafeMigrations.Cli;

using Spectre.Console;

// Redirected output (CI logs, files, pipes) is not wrapped at 80 columns: one finding stays one line to grep.
var console = AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    console.Profile.Width = 512;
}

return await SafemigCommand.RunAsync(args, console, Console.Out, Console.Error);
