using System.Collections.Generic;

namespace SafeMigrations.Core.Model;

public sealed record CreateTableOperation(TableName Name, IReadOnlyList<ColumnDefinition> Columns) : SchemaOperation
{
    public IReadOnlyList<string> PrimaryKeyColumns { get; init; } = [];

    public string? PrimaryKeyName { get; init; }

    public IReadOnlyList<AddForeignKeyOperation> ForeignKeys { get; init; } = [];

    public IReadOnlyList<string> ConstraintNames { get; init; } = [];

    public override TableName? Table => Name;

    public override string Describe() => "CREATE TABLE " + Name;
}

public sealed record DropTableOperation(TableName Name) : SchemaOperation
{
    public bool Cascade { get; init; }

    public override TableName? Table => Name;

    public override string Describe() => "DROP TABLE " + Name + (Cascade ? " CASCADE" : string.Empty);
}

public sealed record RenameTableOperation(TableName Name, TableName NewName) : SchemaOperation
{
    public override TableName? Table => Name;

    public override string Describe() => "ALTER TABLE " + Name + " RENAME TO " + NewName;
}

/// <summary>TRUNCATE, VACUUM FULL, CLUSTER, REINDEX, SET TABLESPACE, DETACH PARTITION, SET LOGGED/UNLOGGED, DROP DATABASE.</summary>
public sealed record MaintenanceOperation(MaintenanceKind Kind, TableName? Target, string Text) : SchemaOperation
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
