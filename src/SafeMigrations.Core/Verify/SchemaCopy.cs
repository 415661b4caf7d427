using System;
using System.Collections.Generic;
using System.Linq;

namespace SafeMigrations.Core.Verify;

/// <summary>
/// verify --copy-schema: the shadow starts from the schema a production-like database really has (drift, hand-made
/// indexes and all), not from what the migrations say it should be. pg_dump writes it; the runner's own schemas
/// stay out (the runner makes its tables, and backups are data).
/// </summary>
public static class SchemaCopy
{
    /// <summary>pg_dump's arguments for the schema alone, as plain SQL. The password goes in PGPASSWORD, never here.</summary>
    public static IReadOnlyList<string> PgDumpArguments(string host, int port, string database, string? username)
    {
        var arguments = new List<string>
        {
            "--schema-only", "--no-owner", "--no-privileges", "--no-publications", "--no-subscriptions",
            "--exclude-schema=safemigrations*", "--host", host, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dbname", database,
        };
        if (!string.IsNullOrEmpty(username))
        {
            arguments.AddRange(["--username", username!]);
        }

        return arguments;
    }

    /// <summary>
    /// The dump as SQL a driver can run: without psql's meta-commands (pg_dump's \restrict and \unrestrict lines since
    /// the 2025 minor releases), which only psql understands.
    /// </summary>
    public static string Restorable(string dump) =>
        string.Join("\n", (dump ?? throw new ArgumentNullException(nameof(dump))).Split('\n').Where(line => !line.StartsWith("\\", StringComparison.Ordinal)));
}
