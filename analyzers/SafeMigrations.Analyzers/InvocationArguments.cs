using System.Collections.Generic;
using System.Collections.Immutable;
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
    // A linear scan over a handful of arguments: cheaper than building a dictionary for each of the
    // thousands of MigrationBuilder calls a large project's migrations make.
    private readonly ImmutableArray<IArgumentOperation> arguments;

    public InvocationArguments(IInvocationOperation invocation) => arguments = invocation.Arguments;

    public string? String(string name) => Constant(name) as string;

    public bool? Bool(string name) => Constant(name) is bool value ? value : null;

    public int? Int(string name) => Constant(name) is int value ? value : null;

    public object? Constant(string name) =>
        Find(name) is { ConstantValue.HasValue: true } value ? value.ConstantValue.Value : null;

    /// <summary>Whether the argument is present and not a null constant (it may be a non-constant expression).</summary>
    public bool HasValue(string name) =>
        Find(name) is { } value && !(value.ConstantValue.HasValue && value.ConstantValue.Value is null);

    /// <summary>A string or a string[] literal ("column" / "columns").</summary>
    public IReadOnlyList<string> Strings(string singleName, string arrayName)
    {
        if (String(singleName) is { } single)
        {
            return [single];
        }

        if (Find(arrayName) is IArrayCreationOperation { Initializer: { } initializer })
        {
            return initializer.ElementValues.Select(e => Unwrap(e).ConstantValue.Value as string).OfType<string>().ToList();
        }

        return [];
    }

    public IOperation? Raw(string name) => Find(name);

    /// <summary>Whether every string and string[] argument (the names of tables, columns, constraints) is a compile-time constant.</summary>
    public bool NamesAreConstant()
    {
        foreach (var argument in arguments)
        {
            var value = Unwrap(argument.Value);
            var type = argument.Parameter?.Type;
            if (type?.SpecialType == SpecialType.System_String && !value.ConstantValue.HasValue)
            {
                return false;
            }

            if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_String }
                && !value.ConstantValue.HasValue
                && !(value is IArrayCreationOperation { Initializer: { } initializer } && initializer.ElementValues.All(e => Unwrap(e).ConstantValue.HasValue)))
            {
                return false;
            }
        }

        return true;
    }

    private IOperation? Find(string name)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter is { } parameter && parameter.Name == name)
            {
                return Unwrap(argument.Value);
            }
        }

        return null;
    }

    public static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
