using System.Data.Common;
using System.Text.RegularExpressions;

namespace SafeMigrations.Design;

/// <summary>
/// Keeps secrets out of everything the host prints: the password of the connection string it was given is
/// replaced wherever it appears as a token of its own, and any "Password=…" in a message (an app's exception quoting its own
/// connection string) is replaced by ***.
/// </summary>
internal static partial class Redact
{
    private static readonly List<string> KnownSecrets = [];

    /// <summary>Remembers the password of a connection string the host uses, to redact it verbatim.</summary>
    public static void Remember(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return;
        }

        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (var key in new[] { "Password", "Pwd" })
            {
                if (builder.TryGetValue(key, out var value) && value is string { Length: > 0 } password)
                {
                    lock (KnownSecrets)
                    {
                        KnownSecrets.Add(password);
                    }
                }
            }
        }
        catch (ArgumentException)
        {
            // Not a connection string the builder reads: the pattern below still applies.
        }
    }

    public static string Secrets(string text)
    {
        lock (KnownSecrets)
        {
            // Only where it stands as a token of its own: a short password ("x", "pass") must not mangle the words and
            // JSON keys that happen to contain its letters ("e***pand", "***word").
            foreach (var secret in KnownSecrets)
            {
                text = Regex.Replace(text, @"(?<![\p{L}\p{N}_])" + Regex.Escape(secret) + @"(?![\p{L}\p{N}_])", "***", RegexOptions.CultureInvariant);
            }
        }

        // The value ends at ';', whitespace or a quote: a message goes on after it, and must not be swallowed.
        return Password().Replace(text, m => m.Groups["key"].Value + "=***");
    }

    [GeneratedRegex(@"(?<key>\b(?:password|pwd)\s*)=\s*(?:""[^""]*""|'[^']*'|[^;\s""'()]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Password();
}
