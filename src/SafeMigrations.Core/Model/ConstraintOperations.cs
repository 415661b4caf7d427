using System.Collections.Generic;

namespace SafeMigrations.Core.Model;

public sealed record AddPrimaryKeyOperation(string Name, TableName TableName, IReadOnlyList<string> Columns) : SchemaOperation
{
    /// <summary>ADD PRIMARY KEY USING INDEX: attaches an index built earlier (concurrently).</summary>
    public string? UsingIndex { get; init; }

    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " ADD CONSTRAINT " + Quote(Name) + " PRIMARY KEY";
}

public sealed record AddUniqueConstraintOperation(string Name, TableName TableName, IReadOnlyList<string> Columns) : SchemaOperation
{
    public string? UsingIndex { get; init; }

    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " ADD CONSTRAINT " + Quote(Name) + " UNIQUE";
}

public sealed record AddForeignKeyOperation(string Name, TableName TableName, IReadOnlyList<string> Columns, TableName PrincipalTable) : SchemaOperation
{
    public IReadOnlyList<string> PrincipalColumns { get; init; } = [];

    public ForeignKeyAction OnDelete { get; init; }

    public ForeignKeyAction OnUpdate { get; init; }

    public bool NotValid { get; init; }

    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " ADD CONSTRAINT " + Quote(Name) + " FOREIGN KEY" + (NotValid ? " NOT VALID" : string.Empty);
}

public sealed record AddCheckConstraintOperation(string Name, TableName TableName, string Sql) : SchemaOperation
{
    public bool NotValid { get; init; }

    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " ADD CONSTRAINT " + Quote(Name) + " CHECK (" + Sql + ")" + (NotValid ? " NOT VALID" : string.Empty);
}

/// <summary>EXCLUDE constraints: built under ACCESS EXCLUSIVE with a full scan, and they cannot be NOT VALID.</summary>
public sealed record AddExclusionConstraintOperation(string Name, TableName TableName) : SchemaOperation
{
    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " ADD CONSTRAINT " + Quote(Name) + " EXCLUDE";
}

public sealed record ValidateConstraintOperation(string Name, TableName TableName) : SchemaOperation
{
    public override TableName? Table => TableName;

    /// <summary>Validation changes no structure: there is nothing for Down to undo.</summary>
    public override bool IsSchemaChange => false;

    public override string Describe() => "ALTER TABLE " + TableName + " VALIDATE CONSTRAINT " + Quote(Name);
}

/// <summary>Dropping a primary key, unique, foreign key or check constraint.</summary>
public sealed record DropConstraintOperation(string Name, TableName TableName, ConstraintKind Kind) : SchemaOperation
{
    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " DROP CONSTRAINT " + Quote(Name);
}

public enum ConstraintKind
{
    Unknown,
    PrimaryKey,
    Unique,
    ForeignKey,
    Check,
}

/// <summary>What a foreign key does when the referenced row is deleted or updated (EF's ReferentialAction, same order).</summary>
public enum ForeignKeyAction
{
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}
