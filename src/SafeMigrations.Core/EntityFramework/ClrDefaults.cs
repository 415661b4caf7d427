using System;
using System.Globalization;

namespace SafeMigrations.Core.EntityFramework;

/// <summary>
/// The value EF Core's migrations differ writes as the default of a non-nullable column the model gives
/// no default (MigrationsModelDiffer.GetDefaultValue): "" for string, an empty array for arrays, and
/// default(T) otherwise (0, false, Guid.Empty, DateTime.MinValue, the enum's 0). Existing rows get it.
/// </summary>
public static class ClrDefaults
{
    /// <summary>Whether <paramref name="value"/> is such a CLR default. Never throws (NaN, infinities and odd types are not).</summary>
    public static bool IsClrDefault(object? value) => value switch
    {
        string text => text.Length == 0,
        bool flag => !flag,
        char character => character == '\0',
        byte number => number == 0,
        sbyte number => number == 0,
        short number => number == 0,
        ushort number => number == 0,
        int number => number == 0,
        uint number => number == 0,
        long number => number == 0,
        ulong number => number == 0,
        float number => number == 0,
        double number => number == 0,
        decimal number => number == 0,
        Guid guid => guid == Guid.Empty,
        DateTime time => time.Ticks == 0,
        DateTimeOffset time => time.Ticks == 0 && time.Offset == TimeSpan.Zero,
        TimeSpan span => span == TimeSpan.Zero,
        Array array => array.Length == 0,
        _ => false,
    };

    /// <summary>The value as a message shows it: '' (empty string), false, 0, an empty array, 0001-01-01 00:00:00.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "NULL",
        string text => "'" + text.Replace("'", "''") + "'" + (text.Length == 0 ? " (empty string)" : string.Empty),
        bool flag => flag ? "true" : "false",
        Guid guid => "'" + guid.ToString("D") + "'",
        DateTime time => "'" + time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "'",
        DateTimeOffset time => "'" + time.ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture) + "'",
        TimeSpan span => "'" + span.ToString("c", CultureInfo.InvariantCulture) + "'",
        Array { Length: 0 } => "an empty array",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };

    /// <summary>
    /// The value EF fills in for a property of this CLR type, as a message shows it, from the type as EF
    /// spells it in snapshots ("string", "bool", "int", "Guid", "DateTime", enums as their underlying
    /// type); null when the spelling says nothing certain (a struct of another library, a converter).
    /// </summary>
    public static string? DescribeForClrType(string spelledType) => spelledType switch
    {
        "string" => Describe(string.Empty),
        "bool" => "false",
        "byte" or "sbyte" or "short" or "ushort" or "int" or "uint" or "long" or "ulong" or "float" or "double" or "decimal" => "0",
        "Guid" => Describe(Guid.Empty),
        "DateTime" => Describe(DateTime.MinValue),
        "DateTimeOffset" => Describe(DateTimeOffset.MinValue),
        "TimeSpan" => Describe(TimeSpan.Zero),
        "DateOnly" => "'0001-01-01'",
        "TimeOnly" => "'00:00:00'",
        _ when spelledType.EndsWith("[]", StringComparison.Ordinal) => "an empty array",
        _ => null,
    };
}
