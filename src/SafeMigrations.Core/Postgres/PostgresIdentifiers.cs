using System.Text;

namespace SafeMigrations.Core.Postgres;

public static class PostgresIdentifiers
{
    /// <summary>NAMEDATALEN - 1: longer identifiers are silently truncated.</summary>
    public const int MaxBytes = 63;

    public static int ByteLength(string identifier) => Encoding.UTF8.GetByteCount(identifier);

    public static bool IsTooLong(string? identifier) => identifier is not null && ByteLength(identifier) > MaxBytes;
}
