using System;

namespace SafeMigrations.Core.Model;

/// <summary>A table (or other relation) name; a missing schema means the default schema, 'public'.</summary>
public readonly struct TableName : IEquatable<TableName>
{
    public const string DefaultSchema = "public";

    public TableName(string name, string? schema = null)
    {
        Name = name ?? string.Empty;
        Schema = string.IsNullOrEmpty(schema) ? null : schema;
    }

    public string Name { get; }

    public string? Schema { get; }

    public bool Equals(TableName other) =>
        string.Equals(Name, other.Name, StringComparison.Ordinal)
        && string.Equals(Schema ?? DefaultSchema, other.Schema ?? DefaultSchema, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is TableName other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name) ^ StringComparer.Ordinal.GetHashCode(Schema ?? DefaultSchema);

    /// <summary>The name as people write it: schema-qualified only outside the default schema, unquoted.</summary>
    public string DisplayName => (Schema is null or DefaultSchema ? string.Empty : Schema + ".") + Name;

    public override string ToString() => Schema is null ? "\"" + Name + "\"" : "\"" + Schema + "\".\"" + Name + "\"";

    public static bool operator ==(TableName left, TableName right) => left.Equals(right);

    public static bool operator !=(TableName left, TableName right) => !left.Equals(right);
}
