using System.Collections.Generic;

namespace SafeMigrations.Core.Model;

public sealed record CreateTableChange(TableName Name, IReadOnlyList<ColumnDefinition> Columns) : SchemaChange
{
    public IReadOnlyList<string> PrimaryKeyColumns { get; init; } = [];

    public string? PrimaryKeyName { get; init; }

    public IReadOnlyList<AddForeignKeyChange> ForeignKeys { get; init; } = [];

    public IReadOnlyList<string> ConstraintNames { get; init; } = [];

    public override TableName? Table => Name;

    public override string Describe() => "CREATE TABLE " + Name;
}

public sealed record DropTableChange(TableName Name) : SchemaChange
{
    public bool Cascade { get; init; }

    public override TableName? Table => Name;

    public override string Describe() => "DROP TABLE " + Name + (Cascade ? " CASCADE" : string.Empty);
}

public sealed record RenameTableChange(TableName Name, TableName NewName) : SchemaChange
{
    public override TableName? Table => Name;

    public override string Describe() => "ALTER TABLE " + Name + " RENAME TO " + NewName;
}

/// <summary>TRUNCATE, VACUUM FULL, CLUSTER, REINDEX, SET TABLESPACE, DETACH PARTITION, SET LOGGED/UNLOGGED, DROP DATABASE.</summary>
public sealed record MaintenanceChange(MaintenanceKind Kind, TableName? Target, string Text) : SchemaChange
{
    public bool Concurrently { get; init; }

    public bool Cascade { get; init; }

    public override TableName? Table => Target;

    public override string Describe() => Text;
}

public enum MaintenanceKind
{
    Truncate,
    VacuumFull,
    Cluster,
    Reindex,
    SetTablespace,
    DetachPartition,
    SetLogged,
    DropDatabase,
}
