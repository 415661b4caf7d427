using System.Collections.Generic;

namespace SafeMigrations.Core.Model;

public enum SchemaObjectAction
{
    Create,
    Drop,
    Rename,
    Alter,
}

/// <summary>Schemas (EnsureSchema / DropSchema / ALTER SCHEMA … RENAME).</summary>
public sealed record SchemaNamespaceChange(SchemaObjectAction Action, string Name) : SchemaChange
{
    public string? NewName { get; init; }

    public override string Describe() => Action switch
    {
        SchemaObjectAction.Create => "CREATE SCHEMA IF NOT EXISTS " + Quote(Name),
        SchemaObjectAction.Drop => "DROP SCHEMA " + Quote(Name),
        _ => "ALTER SCHEMA " + Quote(Name) + " RENAME TO " + Quote(NewName ?? "?"),
    };
}

public sealed record SequenceChange(SchemaObjectAction Action, TableName Name) : SchemaChange
{
    public override string Describe() => Action.ToString().ToUpperInvariant() + " SEQUENCE " + Name;
}

public sealed record ExtensionChange(SchemaObjectAction Action, string Name) : SchemaChange
{
    public override string Describe() => Action.ToString().ToUpperInvariant() + " EXTENSION " + Quote(Name);
}

/// <summary>
/// A PostgreSQL enum type: created, dropped, or changed from <see cref="OldValues"/> to
/// <see cref="NewValues"/> (EF's Npgsql:Enum annotations), or one value added/renamed in SQL.
/// </summary>
public sealed record EnumTypeChange(SchemaObjectAction Action, TableName TypeName) : SchemaChange
{
    public IReadOnlyList<string>? OldValues { get; init; }

    public IReadOnlyList<string>? NewValues { get; init; }

    /// <summary>ALTER TYPE … ADD VALUE.</summary>
    public string? AddedValue { get; init; }

    /// <summary>ALTER TYPE … RENAME VALUE old TO new.</summary>
    public (string Old, string New)? RenamedValue { get; init; }

    public override string Describe() => Action switch
    {
        SchemaObjectAction.Create => "CREATE TYPE " + TypeName + " AS ENUM",
        SchemaObjectAction.Drop => "DROP TYPE " + TypeName,
        _ => "ALTER TYPE " + TypeName,
    };
}

/// <summary>CREATE DOMAIN with a CHECK, or ALTER DOMAIN … ADD CONSTRAINT: revalidates every column of the domain.</summary>
public sealed record DomainConstraintChange(TableName DomainName, bool IsNewDomain) : SchemaChange
{
    /// <summary>ALTER DOMAIN … ADD CONSTRAINT … NOT VALID: existing values are not checked.</summary>
    public bool NotValid { get; init; }

    /// <summary>ALTER DOMAIN … VALIDATE CONSTRAINT: existing values are checked now.</summary>
    public bool IsValidation { get; init; }

    public override string Describe() => (IsNewDomain ? "CREATE DOMAIN " : "ALTER DOMAIN ") + DomainName + (IsValidation ? " VALIDATE CONSTRAINT" : " … CHECK");
}
