using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace SafeMigrations.Core.Postgres;

/// <summary>
/// A parsed PostgreSQL type: canonical base name (aliases folded: int4 → integer, varchar →
/// character varying, timestamptz → timestamp with time zone), modifiers, array-ness.
/// </summary>
public sealed record StoreType(string BaseName, IReadOnlyList<int> Modifiers, bool IsArray)
{
    private static readonly Regex Shape = new(
        @"^\s*(?<name>[a-z_][a-z0-9_ .""]*?)\s*(\(\s*(?<mods>[0-9\s,]*)\s*\))?\s*(?<tz>(with|without)\s+time\s+zone)?\s*(?<array>(\[\s*[0-9]*\s*\])+)?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["int"] = "integer",
        ["int4"] = "integer",
        ["int8"] = "bigint",
        ["int2"] = "smallint",
        ["serial4"] = "serial",
        ["serial8"] = "bigserial",
        ["serial2"] = "smallserial",
        ["varchar"] = "character varying",
        ["char"] = "character",
        ["bpchar"] = "character",
        ["bool"] = "boolean",
        ["float8"] = "double precision",
        ["float4"] = "real",
        ["decimal"] = "numeric",
        ["timestamptz"] = "timestamp with time zone",
        ["timetz"] = "time with time zone",
        ["varbit"] = "bit varying",
    };

    public int? Length => Modifiers.Count > 0 ? Modifiers[0] : null;

    public int? Scale => Modifiers.Count > 1 ? Modifiers[1] : null;

    public bool IsSerial => BaseName is "serial" or "bigserial" or "smallserial";

    // Every rule that looks at column types parses the same few names for every column of every
    // migration; the analyzers run them on each keystroke, so parse each distinct text once.
    private static readonly ConcurrentDictionary<string, StoreType?> Parsed = new(StringComparer.Ordinal);
    private const int MaxCached = 4096;

    public static StoreType? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (Parsed.TryGetValue(text!, out var cached))
        {
            return cached;
        }

        var parsed = ParseUncached(text!);
        if (Parsed.Count < MaxCached)
        {
            Parsed.TryAdd(text!, parsed);
        }

        return parsed;
    }

    private static StoreType? ParseUncached(string text)
    {
        var match = Shape.Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var name = Regex.Replace(match.Groups["name"].Value.Trim().Trim('"').ToLowerInvariant(), @"\s+", " ");
        if (name.StartsWith("pg_catalog.", StringComparison.Ordinal))
        {
            name = name.Substring("pg_catalog.".Length);
        }

        var modifiers = new List<int>();
        if (match.Groups["mods"].Success && match.Groups["mods"].Value.Trim().Length > 0)
        {
            foreach (var modifier in match.Groups["mods"].Value.Split(','))
            {
                // "numeric(10,)" while the scale is being typed, or a number beyond int: not a type we know.
                if (!int.TryParse(modifier.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    return null;
                }

                modifiers.Add(value);
            }
        }

        var timeZone = match.Groups["tz"].Success ? match.Groups["tz"].Value.ToLowerInvariant() : null;
        if (Aliases.TryGetValue(name, out var canonical))
        {
            name = canonical;
        }

        if (name is "timestamp" or "time")
        {
            // "timestamp(3) with time zone" keeps the precision in the modifiers
            name = timeZone is not null && timeZone.StartsWith("with ", StringComparison.Ordinal) ? name + " with time zone" : name;
        }

        if (name is "character varying" or "character" or "bit varying" && timeZone is not null)
        {
            return null;
        }

        return new StoreType(name, modifiers.AsReadOnly(), match.Groups["array"].Success);
    }

    public override string ToString() =>
        BaseName + (Modifiers.Count > 0 ? "(" + string.Join(",", Modifiers) + ")" : string.Empty) + (IsArray ? "[]" : string.Empty);
}
