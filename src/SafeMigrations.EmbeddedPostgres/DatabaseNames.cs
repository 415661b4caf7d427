using System.Text;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.EmbeddedPostgres;

/// <summary>Names for the throwaway databases a <see cref="PostgresServer"/> creates.</summary>
public static class DatabaseNames
{
    /// <summary>A lower-case ASCII name, unique per call, within PostgreSQL's identifier limit.</summary>
    public static string Unique(string prefix)
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

        // ASCII only, so characters and bytes agree.
        return head[..Math.Min(head.Length, PostgresIdentifiers.MaxBytes - suffix.Length)] + suffix;
    }
}
