using System.CommandLine;
using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;
using Spectre.Console;

namespace SafeMigrations.Cli;

/// <summary>
/// safemig explain SM1001: a rule's page in the terminal, from the pages compiled into the tool (as `rustc --explain`
/// does), so the help a finding points at works offline; without an id, the list of rules.
/// </summary>
internal static class ExplainCommand
{
    private static readonly Argument<string?> RuleArgument = new("rule") { Description = "The rule's id, e.g. SM1001 (default: list every rule).", Arity = ArgumentArity.ZeroOrOne };

    public static Command Create(CommandContext context)
    {
        var explain = new Command("explain", "Print a rule's page: what it detects, why it is unsafe on PostgreSQL, the safe recipe and the command that writes it, examples, how to suppress it.") { RuleArgument };
        context.SetAction(explain, (parse, _) => Task.FromResult(Explain(context.Console, parse.GetValue(RuleArgument))));
        return explain;
    }

    private static int Explain(IAnsiConsole console, string? ruleId)
    {
        if (string.IsNullOrWhiteSpace(ruleId))
        {
            foreach (var rule in RuleCatalog.All.OrderBy(r => r.Id, StringComparer.Ordinal))
            {
                console.MarkupLineInterpolated($"[bold]{rule.Id}[/] {rule.Title}");
            }

            console.MarkupLine("[grey]dotnet safemig explain <id> prints a rule's page.[/]");
            return HostExitCodes.Clean;
        }

        var id = ruleId.Trim().ToUpperInvariant();
        if (RulePages.Markdown(id) is not { } page)
        {
            throw new CliException($"No rule {ruleId}: rules are SM0001 to {RuleCatalog.All.Max(r => r.Id)} ('dotnet safemig explain' lists them).");
        }

        var inCode = false;
        foreach (var line in page.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }

            if (inCode)
            {
                console.MarkupLineInterpolated($"    [cyan]{line}[/]");
            }
            else if (line.StartsWith('#'))
            {
                console.MarkupLineInterpolated($"[bold underline]{line.TrimStart('#', ' ')}[/]");
            }
            else
            {
                console.WriteLine(WithoutRelativeLinks(line));
            }
        }

        return HostExitCodes.Clean;
    }

    /// <summary>A link to another page of the docs is its text in a terminal; a web address stays, after its text.</summary>
    private static string WithoutRelativeLinks(string line) =>
        System.Text.RegularExpressions.Regex.Replace(line, @"\[(?<text>[^\]]+)\]\((?<url>[^)\s]+)\)",
            m => m.Groups["url"].Value.StartsWith("http", StringComparison.Ordinal) ? $"{m.Groups["text"].Value} ({m.Groups["url"].Value})" : m.Groups["text"].Value);
}
