using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SafeMigrations.Analyzers;

/// <summary>
/// The arguments of a call by parameter name, whether written by name, by position or left to their
/// default: IOperation binds them all the same way.
/// </summary>
internal sealed class InvocationArguments
{
    private readonly Dictionary<string, IOperation> values = new(System.StringComparer.Ordinal);

    public InvocationArguments(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter)
            {
                values[parameter.Name] = Unwrap(argument.Value);
            }
        }
    }

    public string? String(string name) => Constant(name) as string;

    public bool? Bool(string name) => Constant(name) is bool value ? value : null;

    public int? Int(string name) => Constant(name) is int value ? value : null;

    public object? Constant(string name) =>
        values.TryGetValue(name, out var value) && value.ConstantValue.HasValue ? value.ConstantValue.Value : null;

    /// <summary>Whether the argument is present and not a null constant (it may be a non-constant expression).</summary>
    public bool HasValue(string name) =>
        values.TryGetValue(name, out var value) && !(value.ConstantValue.HasValue && value.ConstantValue.Value is null);

    /// <summary>A string or a string[] literal ("column" / "columns").</summary>
    public IReadOnlyList<string> Strings(string singleName, string arrayName)
    {
        if (String(singleName) is { } single)
        {
            return [single];
        }

        if (values.TryGetValue(arrayName, out var array) && array is IArrayCreationOperation { Initializer: { } initializer })
        {
            return initializer.ElementValues.Select(e => Unwrap(e).ConstantValue.Value as string).OfType<string>().ToList();
        }

        return [];
    }

    public IOperation? Raw(string name) => values.TryGetValue(name, out var value) ? value : null;

    public static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
