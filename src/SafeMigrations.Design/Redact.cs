using System.Text.RegularExpressions;

namespace SafeMigrations.Design;

/// <summary>Keeps secrets out of everything the host prints: a connection string's password is replaced by ***.</summary>
internal static partial class Redact
{
    public static string Secrets(string text) => Password().Replace(text, m => m.Groups["key"].Value + "=***");

    [GeneratedRegex(@"(?<key>\b(?:password|pwd)\s*)=\s*(?:""[^""]*""|'[^']*'|[^;""']*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Password();
}
