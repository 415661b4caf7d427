using System.CommandLine;
using SafeMigrations.Cli;

return await SafemigCommand.RunAsync(args, Spectre.Console.AnsiConsole.Console, Console.Out, Console.Error);
