using System.Text;

namespace SafeMigrations.Core.Postgres;

public static class PostgresIdentifiers
{
    /// <summary>NAMEDATALEN - 1: longer identifiers are silently truncated.</summary>
    public const int MaxBytes = 63;

    public static int ByteLength(string identifier) => Encoding.UTF8.GetByteCount(identifier);

    public static bool IsTooLong(string? identifier) => identifier is not null && ByteLength(identifier) > MaxBytes;

    /// <summary>The name PostgreSQL keeps: the longest prefix of at most 63 bytes that does not split a character.</summary>
    public static string Truncate(string identifier)
    {
        if (!IsTooLong(identifier))
        {
            return identifier;
        }

        var length = 0;
        var bytes = 0;
        while (length < identifier.Length)
        {
            var width = char.IsHighSurrogate(identifier[length]) && length + 1 < identifier.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(identifier.ToCharArray(length, width));
            if (bytes + size > MaxBytes)
            {
                break;
            }

            bytes += size;
            length += width;
        }

        return identifier.Substring(0, length);
    }

    /// <summary>Double-quotes an identifier for SQL ("" inside doubled); identifiers that reach SQL are always quoted.</summary>
    public static string Quote(string identifier)
    {
        if (string.IsNullOrEmpty(identifier))
        {
            throw new System.ArgumentException("An identifier cannot be empty.", nameof(identifier));
        }

        if (identifier.IndexOf('\0') >= 0)
        {
            throw new System.ArgumentException("An identifier cannot contain a NUL character.", nameof(identifier));
        }

        return "\"" + identifier.Replace("\"", "\"\"") + "\"";
    }
}
