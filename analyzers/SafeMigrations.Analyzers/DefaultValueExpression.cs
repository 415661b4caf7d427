using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SafeMigrations.Analyzers;

/// <summary>
/// The value of a <c>defaultValue:</c> argument as EF's C# generator writes it: a constant, or for the
/// types without C# literals an object creation (<c>new Guid("…")</c>, <c>new DateTime(1, 1, 1, …)</c>,
/// <c>new DateTimeOffset(new DateTime(…), new TimeSpan(…))</c>, <c>new TimeSpan(…)</c>, <c>new DateOnly(…)</c>,
/// <c>new TimeOnly(…)</c>) or an empty array (<c>new string[0]</c>). Anything else is unknown (null).
/// Never throws: the editor holds half-typed arguments.
/// </summary>
internal static class DefaultValueExpression
{
    public static object? Evaluate(IOperation expression)
    {
        var value = InvocationArguments.Unwrap(expression);
        if (value.ConstantValue.HasValue)
        {
            return value.ConstantValue.Value;
        }

        try
        {
            return value switch
            {
                IArrayCreationOperation array when IsEmpty(array) => Array.Empty<object>(),
                IObjectCreationOperation creation => Create(creation),
                _ => null,
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            return null; // new DateTime(2024, 13, 1): not a value at all
        }
    }

    private static bool IsEmpty(IArrayCreationOperation array) =>
        array.Initializer is { ElementValues.Length: 0 }
        || (array.Initializer is null && array.DimensionSizes.Length == 1 && array.DimensionSizes[0].ConstantValue.Value is 0);

    private static object? Create(IObjectCreationOperation creation)
    {
        var type = creation.Type;
        if (type is null || type.ContainingNamespace is not { Name: "System", ContainingNamespace.IsGlobalNamespace: true })
        {
            return null;
        }

        // Only the integral parameters: DateTimeKind.Unspecified is a constant too, but not a date part.
        var arguments = creation.Arguments
            .Where(a => a.Parameter?.Type.TypeKind != TypeKind.Enum)
            .Select(a => Evaluate(a.Value)).ToArray();
        switch (type.Name)
        {
            case "Guid" when arguments.Length == 1 && arguments[0] is string text:
                return Guid.TryParse(text, out var guid) ? guid : null;
            case "DateTime" when Integers(arguments, 3) is { } parts:
                return new DateTime(parts[0], parts[1], parts[2], At(parts, 3), At(parts, 4), At(parts, 5), At(parts, 6), DateTimeKind.Unspecified);
            case "DateOnly" when Integers(arguments, 3) is { Length: 3 } date:
                return new DateTime(date[0], date[1], date[2], 0, 0, 0, DateTimeKind.Unspecified);
            case "TimeSpan" or "TimeOnly" when Integers(arguments, 1) is { } parts:
                return parts.Length switch
                {
                    1 => new TimeSpan(parts[0]),
                    3 => new TimeSpan(parts[0], parts[1], parts[2]),
                    4 => new TimeSpan(parts[0], parts[1], parts[2], parts[3]),
                    5 => new TimeSpan(parts[0], parts[1], parts[2], parts[3], parts[4]),
                    _ => null,
                };
            case "DateTimeOffset" when arguments.Length == 2 && arguments[0] is DateTime time && arguments[1] is TimeSpan offset:
                return new DateTimeOffset(time, offset);
            default:
                return null;
        }
    }

    /// <summary>The arguments as ints when there are at least <paramref name="minimum"/> and all are integral constants (enums such as DateTimeKind excepted).</summary>
    private static int[]? Integers(object?[] arguments, int minimum)
    {
        var integers = arguments.TakeWhile(a => a is int or long).Select(a => Convert.ToInt32(a, CultureInfo.InvariantCulture)).ToArray();
        return integers.Length >= minimum ? integers : null;
    }

    private static int At(int[] parts, int index) => index < parts.Length ? parts[index] : 0;
}
