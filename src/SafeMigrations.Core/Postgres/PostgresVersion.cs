using System;

namespace SafeMigrations.Core.Postgres;

/// <summary>The PostgreSQL major version migrations are judged for.</summary>
public static class PostgresVersion
{
    public const int Default = 15;

    /// <summary>Oldest supported target: the safe recipes rely on PostgreSQL 12 (SET NOT NULL using a validated CHECK).</summary>
    public const int Minimum = 12;

    public static int Validate(int major)
    {
        if (major < Minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(major), major, "SafeMigrations supports PostgreSQL " + Minimum + " and later.");
        }

        return major;
    }
}
