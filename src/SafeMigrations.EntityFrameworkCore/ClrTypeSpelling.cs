namespace SafeMigrations.EntityFrameworkCore;

/// <summary>Spells a CLR type as C# (and Core's rules, and the analyzers) do: int, long?, string, Guid, byte[], List&lt;string&gt;.</summary>
internal static class ClrTypeSpelling
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(bool)] = "bool",
        [typeof(byte)] = "byte",
        [typeof(sbyte)] = "sbyte",
        [typeof(short)] = "short",
        [typeof(ushort)] = "ushort",
        [typeof(int)] = "int",
        [typeof(uint)] = "uint",
        [typeof(long)] = "long",
        [typeof(ulong)] = "ulong",
        [typeof(char)] = "char",
        [typeof(float)] = "float",
        [typeof(double)] = "double",
        [typeof(decimal)] = "decimal",
        [typeof(string)] = "string",
        [typeof(object)] = "object",
    };

    public static string? Spell(Type? type)
    {
        if (type is null)
        {
            return null;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Spell(underlying) + "?";
        }

        if (type.IsArray)
        {
            return Spell(type.GetElementType()) + "[]";
        }

        if (type.IsEnum)
        {
            return Spell(Enum.GetUnderlyingType(type));
        }

        if (Keywords.TryGetValue(type, out var keyword))
        {
            return keyword;
        }

        // As the analyzers spell it from syntax: List<string>, Dictionary<string,int>.
        var name = type.Name.Split('`')[0];
        return type.IsGenericType ? name + "<" + string.Join(",", type.GetGenericArguments().Select(Spell)) + ">" : name;
    }
}
