using System.Reflection;
using System.Text.RegularExpressions;

namespace SafeMigrations.Cli;

/// <summary>
/// The rule pages (docs/rules/SMxxxx.md), compiled into the tool: SARIF's help and full descriptions come from
/// them, so code-scanning UIs explain a rule without a network or a published address.
/// </summary>
internal static partial class RulePages
{
    /// <summary>The page's markdown; null when the tool has no page for the id.</summary>
    public static string? Markdown(string ruleId)
    {
        using var stream = typeof(RulePages).Assembly.GetManifestResourceStream("rules/" + ruleId.ToUpperInvariant() + ".md");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The first paragraph of the page's "What it detects", as one line.</summary>
    public static string? WhatItDetects(string ruleId) =>
        Markdown(ruleId) is { } page && WhatItDetectsSection().Match(page) is { Success: true } match
            ? string.Join(' ', match.Groups["text"].Value.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            : null;

    public static IEnumerable<string> RuleIds() =>
        typeof(RulePages).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("rules/", StringComparison.Ordinal)).Select(n => n["rules/".Length..^".md".Length]);

    [GeneratedRegex(@"^## What it detects\s*\n+(?<text>(?:(?!\n\n)[\s\S])+)", RegexOptions.Multiline)]
    private static partial Regex WhatItDetectsSection();
}
