using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace SafeMigrations.Core.Postgres;

/// <summary>
/// Which default expressions force a table rewrite when a column is added (PostgreSQL 11+ stores a
/// non-volatile default in the catalog instead). Volatility is PostgreSQL's own pg_proc.provolatile
/// for the built-in functions; an unknown function is treated as volatile, since a user-defined
/// function is VOLATILE unless declared otherwise.
/// </summary>
public static class FunctionVolatility
{
    private static readonly HashSet<string> Volatile = new(StringComparer.OrdinalIgnoreCase)
    {
        "random", "random_normal", "setseed", "gen_random_uuid", "uuidv4", "uuidv7", "uuid_generate_v1", "uuid_generate_v1mc",
        "uuid_generate_v4", "clock_timestamp", "timeofday", "nextval", "setval", "currval", "lastval",
        "txid_current", "pg_current_xact_id", "gen_random_bytes", "gen_salt", "crypt", "pg_sleep",
    };

    // STABLE or IMMUTABLE: evaluated once for ADD COLUMN … DEFAULT, no rewrite.
    private static readonly HashSet<string> NonVolatile = new(StringComparer.OrdinalIgnoreCase)
    {
        "now", "transaction_timestamp", "statement_timestamp", "current_timestamp", "current_date", "current_time",
        "localtimestamp", "localtime", "current_user", "session_user", "current_schema", "current_database",
        "timezone", "to_timestamp", "to_date", "to_char", "make_date", "make_timestamp", "make_timestamptz", "make_interval",
        "lower", "upper", "length", "coalesce", "nullif", "greatest", "least", "concat", "abs", "round", "trunc",
        "jsonb_build_object", "jsonb_build_array", "json_build_object", "json_build_array", "array", "uuid_nil", "uuid_ns_dns",
        "date_trunc", "md5", "replace", "substring", "trim", "btrim", "format", "to_jsonb", "to_json", "row",
    };

    private static readonly Regex FunctionCall = new(@"(?<name>[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?)\s*\(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>True when evaluating <paramref name="expression"/> once per row could differ, so PostgreSQL must rewrite.</summary>
    public static bool IsVolatile(string? expression) => VolatileFunctions(expression).Any();

    /// <summary>The functions in the expression that are (or may be) volatile.</summary>
    public static IEnumerable<string> VolatileFunctions(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            yield break;
        }

        var withoutStrings = Regex.Replace(expression, "'([^']|'')*'", "''");
        foreach (Match match in FunctionCall.Matches(withoutStrings))
        {
            var name = match.Groups["name"].Value;
            var unqualified = name.IndexOf('.') >= 0 ? name.Substring(name.LastIndexOf('.') + 1) : name;
            if (Volatile.Contains(unqualified) || !NonVolatile.Contains(unqualified) && !IsTypeCastKeyword(unqualified))
            {
                yield return unqualified;
            }
        }
    }

    private static bool IsTypeCastKeyword(string name) =>
        name.Equals("cast", StringComparison.OrdinalIgnoreCase)
        || name.Equals("numeric", StringComparison.OrdinalIgnoreCase)
        || name.Equals("varchar", StringComparison.OrdinalIgnoreCase)
        || name.Equals("interval", StringComparison.OrdinalIgnoreCase);
}
