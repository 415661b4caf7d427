using System.Text;

namespace SafeMigrations.EmbeddedPostgres;

/// <summary>Identifiers that reach SQL are always quoted.</summary>
public static class PostgresIdentifier
{
    public const int MaxLength = 63;

    public static string Quote(string identifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        if (identifier.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("An identifier cannot contain a NUL character.", nameof(identifier));
        }

        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A lower-case, unique database name that stays under PostgreSQL's 63-byte limit.</summary>
    public static string UniqueDatabaseName(string prefix)
    {
        var cleaned = new StringBuilder();
        foreach (var c in prefix.ToLowerInvariant())
        {
            cleaned.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '_');
        }

        var suffix = "_" + Guid.NewGuid().ToString("N")[..12];
        var head = cleaned.ToString().Trim('_');
        if (head.Length == 0)
        {
            head = "db";
        }

        return head[..Math.Min(head.Length, MaxLength - suffix.Length)] + suffix;
    }
}
