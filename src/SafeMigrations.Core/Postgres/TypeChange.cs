namespace SafeMigrations.Core.Postgres;

/// <summary>What ALTER COLUMN … TYPE does to the table.</summary>
public enum TypeChange
{
    /// <summary>Same type.</summary>
    None,

    /// <summary>Binary-coercible: catalog-only change, no rewrite, no scan.</summary>
    BinaryCoercible,

    /// <summary>A length limit is added or shortened: every row is checked (and rewritten) under ACCESS EXCLUSIVE, and it fails on a longer value.</summary>
    Narrowing,

    /// <summary>The table and its indexes are rewritten under ACCESS EXCLUSIVE.</summary>
    Rewrite,

    /// <summary>
    /// timestamp ↔ timestamp with time zone: binary-coercible when the session's TimeZone is UTC
    /// (PostgreSQL 12+), otherwise a rewrite that reads every value in the session's time zone.
    /// </summary>
    RewriteUnlessUtc,

    /// <summary>One side is unknown or unparseable: assume a rewrite.</summary>
    Unknown,
}

public static class TypeChanges
{
    /// <summary>
    /// Classifies a store-type change. Safe without a rewrite: a longer or removed varchar limit,
    /// varchar ↔ text, more numeric precision at the same scale (or no limit), more precision for
    /// timestamp/time/interval, a longer or removed bit varying limit, cidr → inet.
    /// </summary>
    public static TypeChange Classify(string? oldType, string? newType)
    {
        var from = StoreType.Parse(oldType);
        var to = StoreType.Parse(newType);
        if (from is null || to is null)
        {
            return string.Equals(oldType?.Trim(), newType?.Trim(), System.StringComparison.OrdinalIgnoreCase) && oldType is not null
                ? TypeChange.None
                : TypeChange.Unknown;
        }

        return Classify(from, to);
    }

    public static TypeChange Classify(StoreType from, StoreType to)
    {
        if (from.IsArray != to.IsArray)
        {
            return TypeChange.Rewrite;
        }

        if (from.BaseName == to.BaseName && SameModifiers(from, to))
        {
            return TypeChange.None;
        }

        switch (from.BaseName, to.BaseName)
        {
            case ("character varying", "character varying"):
                return LimitChange(from.Length, to.Length);
            case ("character varying", "text"):
                return TypeChange.BinaryCoercible;
            case ("text", "character varying"):
                return to.Length is null ? TypeChange.BinaryCoercible : TypeChange.Narrowing;
            case ("bit varying", "bit varying"):
                return LimitChange(from.Length, to.Length);
            case ("numeric", "numeric"):
                return NumericChange(from, to);
            case ("timestamp", "timestamp"):
            case ("timestamp with time zone", "timestamp with time zone"):
            case ("time", "time"):
            case ("time with time zone", "time with time zone"):
            case ("interval", "interval"):
                // No precision means 6, the maximum.
                return (to.Length ?? 6) >= (from.Length ?? 6) ? TypeChange.BinaryCoercible : TypeChange.Rewrite;
            case ("cidr", "inet"):
                return TypeChange.BinaryCoercible;
            case ("timestamp", "timestamp with time zone"):
            case ("timestamp with time zone", "timestamp"):
                return (to.Length ?? 6) >= (from.Length ?? 6) ? TypeChange.RewriteUnlessUtc : TypeChange.Rewrite;
            case ("character", "character"):
                return (to.Length ?? 1) == (from.Length ?? 1) ? TypeChange.None : (to.Length ?? 1) < (from.Length ?? 1) ? TypeChange.Narrowing : TypeChange.Rewrite;
            default:
                return TypeChange.Rewrite;
        }
    }

    private static TypeChange LimitChange(int? fromLength, int? toLength)
    {
        if (toLength is null)
        {
            return TypeChange.BinaryCoercible;
        }

        if (fromLength is null || toLength < fromLength)
        {
            return TypeChange.Narrowing;
        }

        return toLength == fromLength ? TypeChange.None : TypeChange.BinaryCoercible;
    }

    // Only more precision at the same scale (or dropping the limit) is binary-coercible; anything else
    // recomputes every value: a rewrite that rounds to the new scale and fails on overflow.
    private static TypeChange NumericChange(StoreType from, StoreType to)
    {
        if (to.Modifiers.Count == 0)
        {
            return TypeChange.BinaryCoercible;
        }

        var sameScale = from.Modifiers.Count > 0 && (from.Scale ?? 0) == (to.Scale ?? 0);
        return sameScale && to.Length >= from.Length ? TypeChange.BinaryCoercible : TypeChange.Rewrite;
    }

    /// <summary>
    /// What converting the existing values does to them, for messages: rounding, failing on values that
    /// do not fit or do not convert; null when nothing happens to the values.
    /// </summary>
    public static string? DataEffect(string? oldType, string? newType)
    {
        var from = StoreType.Parse(oldType);
        var to = StoreType.Parse(newType);
        if (from is null || to is null || Classify(from, to) is TypeChange.None or TypeChange.BinaryCoercible)
        {
            return null;
        }

        switch (from.BaseName, to.BaseName)
        {
            case ("numeric", "numeric"):
                var scale = to.Scale ?? 0;
                var rounds = from.Modifiers.Count == 0 || scale < (from.Scale ?? 0);
                return (rounds ? $"silently rounds existing values to {scale} decimal place{(scale == 1 ? string.Empty : "s")} and " : string.Empty)
                    + $"fails on a value with more than {to.Length - scale} digit{(to.Length - scale == 1 ? string.Empty : "s")} before the decimal point";
            case ("timestamp", "timestamp"):
            case ("timestamp with time zone", "timestamp with time zone"):
            case ("time", "time"):
            case ("time with time zone", "time with time zone"):
            case ("interval", "interval"):
                return $"silently rounds existing values to {to.Length ?? 6} fractional digit{(to.Length == 1 ? string.Empty : "s")}";
            case ("character", "character varying" or "text"):
                return to.Length is { } shorter && shorter < (from.Length ?? 1)
                    ? $"strips the padding spaces of existing values and fails on a value longer than {shorter} characters"
                    : "strips the padding spaces of existing values";
            case (_, "character varying" or "character" or "bit varying") when to.Length is { } limit:
                return $"fails on a value longer than {limit} characters";
            case (_, "text" or "character varying"):
                return null; // every value has a text form
            case ("text" or "character varying" or "character" or "json" or "jsonb", _):
                return "fails on a value that does not convert";
            default:
                return null;
        }
    }

    private static bool SameModifiers(StoreType a, StoreType b)
    {
        if (a.Modifiers.Count != b.Modifiers.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Modifiers.Count; i++)
        {
            if (a.Modifiers[i] != b.Modifiers[i])
            {
                return false;
            }
        }

        return true;
    }
}
