using System.Collections.Generic;

namespace SafeMigrations.Core.Model;

public sealed record AddPrimaryKeyChange(string Name, TableName TableName, IReadOnlyList<string> Columns) : SchemaChange
{
    /// <summary>ADD PRIMARY KEY USING INDEX: attaches an index built earlier (concurrently).</summary>
    public string? UsingIndex { get; init; }

    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " ADD CONSTRAINT " + Quote(Name) + " PRIMARY KEY";
}

public sealed record AddUniqueConstraintChange(string Name, TableName TableName, IReadOnlyList<string> Columns) : SchemaChange
{
    public string? UsingIndex { get; init; }

    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " ADD CONSTRAINT " + Quote(Name) + " UNIQUE";
}

public sealed record AddForeignKeyChange(string Name, TableName TableName, IReadOnlyList<string> Columns, TableName PrincipalTable) : SchemaChange
{
    public IReadOnlyList<string> PrincipalColumns { get; init; } = [];

    public ForeignKeyAction OnDelete { get; init; }

    public ForeignKeyAction OnUpdate { get; init; }

    public bool NotValid { get; init; }

    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " ADD CONSTRAINT " + Quote(Name) + " FOREIGN KEY" + (NotValid ? " NOT VALID" : string.Empty);
}

public sealed record AddCheckConstraintChange(string Name, TableName TableName, string Sql) : SchemaChange
{
    public bool NotValid { get; init; }

    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " ADD CONSTRAINT " + Quote(Name) + " CHECK (" + Sql + ")" + (NotValid ? " NOT VALID" : string.Empty);
}

/// <summary>EXCLUDE constraints: built under ACCESS EXCLUSIVE with a full scan, and they cannot be NOT VALID.</summary>
public sealed record AddExclusionConstraintChange(string Name, TableName TableName) : SchemaChange
{
    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " ADD CONSTRAINT " + Quote(Name) + " EXCLUDE";
}

public sealed record ValidateConstraintChange(string Name, TableName TableName) : SchemaChange
{
    public override TableName? Table => TableName;

    /// <summary>Validation changes no structure: there is nothing for Down to undo.</summary>
    public override bool IsSchemaChange => false;

    public override string Describe() => "ALTER TABLE " + TableName + " VALIDATE CONSTRAINT " + Quote(Name);
}

/// <summary>Dropping a primary key, unique, foreign key or check constraint.</summary>
public sealed record DropConstraintChange(string Name, TableName TableName, ConstraintKind Kind) : SchemaChange
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
