using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace SafeMigrations.Analyzers.Model;

/// <summary>
/// Spells CLR types the way EF writes them in snapshots (<c>int</c>, <c>string</c>, <c>DateTimeOffset?</c>,
/// <c>List&lt;string&gt;</c>, enums as their underlying type), so a snapshot's <c>Property&lt;T&gt;</c> and an
/// entity's property type compare as strings.
/// </summary>
internal static class ClrTypeNames
{
    private static readonly SymbolDisplayFormat Format = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameOnly,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    private static readonly HashSet<string> ValueTypes = new(StringComparer.Ordinal)
    {
        "bool", "byte", "sbyte", "short", "ushort", "int", "uint", "long", "ulong", "char", "float", "double", "decimal",
        "DateTime", "DateTimeOffset", "TimeSpan", "DateOnly", "TimeOnly", "Guid", "BigInteger", "Half",
        "Int128", "UInt128", "NpgsqlPoint", "NpgsqlBox", "NpgsqlCircle", "NpgsqlLine", "NpgsqlLSeg", "NpgsqlInet", "NpgsqlCidr", "NpgsqlInterval", "NpgsqlLogSequenceNumber",
    };

    /// <summary>
    /// Whether a symbol's namespace-qualified name is <paramref name="fullName"/>, compared piece by piece:
    /// ToDisplayString builds a string for each of the many attributes and base types the readers check.
    /// </summary>
    public static bool HasFullName(ISymbol? symbol, string fullName)
    {
        var end = fullName.Length;
        for (var current = symbol; current is not null && current is not INamespaceSymbol { IsGlobalNamespace: true }; current = current.ContainingSymbol)
        {
            var name = current.Name;
            var start = end - name.Length;
            if (start < 0 || string.CompareOrdinal(fullName, start, name, 0, name.Length) != 0)
            {
                return false;
            }

            end = start;
            if (current.ContainingSymbol is null or INamespaceSymbol { IsGlobalNamespace: true })
            {
                return end == 0;
            }

            if (end == 0 || fullName[end - 1] != '.')
            {
                return false;
            }

            end--;
        }

        return false;
    }

    /// <summary>The outermost namespace a type is declared in ("System" for System.Collections.Generic.List), or empty.</summary>
    public static string OutermostNamespace(ITypeSymbol type)
    {
        var outermost = string.Empty;
        for (var ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            outermost = ns.Name;
        }

        return outermost;
    }

    /// <summary>The snapshot spelling of a property type; empty when the type does not compile.</summary>
    public static string Spell(ITypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Error || ContainsErrors(type))
        {
            return string.Empty;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            var inner = Spell(nullable.TypeArguments[0]);
            return inner.Length == 0 ? string.Empty : inner + "?";
        }

        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
        {
            return Spell(underlying);
        }

        return Normalize(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(Format));
    }

    /// <summary>Normalizes a type as written: no whitespace, no namespaces, <c>Nullable&lt;int&gt;</c> as <c>int?</c>.</summary>
    public static string Normalize(string written)
    {
        var text = new StringBuilder(written.Length);
        foreach (var c in written.Where(c => !char.IsWhiteSpace(c)))
        {
            text.Append(c);
        }

        var compact = text.Replace("global::", string.Empty).ToString();
        var result = StripNamespaces(compact);
        if (result.StartsWith("Nullable<", StringComparison.Ordinal) && result.EndsWith(">", StringComparison.Ordinal))
        {
            result = result.Substring("Nullable<".Length, result.Length - "Nullable<".Length - 1) + "?";
        }

        return result;
    }

    public static bool IsValueType(string spelled) =>
        spelled.EndsWith("?", StringComparison.Ordinal) || ValueTypes.Contains(spelled);

    /// <summary>Reference types a snapshot's Property&lt;T&gt; commonly has: no need to bind them to know they are not value types.</summary>
    public static bool IsKnownReferenceType(string spelled) =>
        spelled is "string" or "object" or "byte[]"
        || spelled.EndsWith("[]", StringComparison.Ordinal)
        || spelled.StartsWith("List<", StringComparison.Ordinal)
        || spelled.StartsWith("Dictionary<", StringComparison.Ordinal)
        || spelled.StartsWith("JsonDocument", StringComparison.Ordinal);

    /// <summary>Drops every qualifier: System.Collections.Generic.List&lt;System.String&gt; becomes List&lt;String&gt;.</summary>
    private static string StripNamespaces(string text)
    {
        var result = new StringBuilder(text.Length);
        var segment = new StringBuilder();
        foreach (var c in text)
        {
            if (c == '.')
            {
                segment.Clear();
            }
            else if (char.IsLetterOrDigit(c) || c == '_')
            {
                segment.Append(c);
            }
            else
            {
                result.Append(segment).Append(c);
                segment.Clear();
            }
        }

        return result.Append(segment).ToString();
    }

    private static bool ContainsErrors(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => array.ElementType.TypeKind == TypeKind.Error || ContainsErrors(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(t => t.TypeKind == TypeKind.Error || ContainsErrors(t)),
        _ => false,
    };
}
