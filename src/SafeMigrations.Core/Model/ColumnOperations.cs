namespace SafeMigrations.Core.Model;

public sealed record AddColumnOperation(TableName TableName, ColumnDefinition Column) : SchemaOperation
{
    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " ADD COLUMN " + Quote(Column.Name);
}

public sealed record DropColumnOperation(TableName TableName, string Column) : SchemaOperation
{
    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " DROP COLUMN " + Quote(Column);
}

public sealed record RenameColumnOperation(TableName TableName, string Column, string NewName) : SchemaOperation
{
    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " RENAME COLUMN " + Quote(Column) + " TO " + Quote(NewName);
}

/// <summary>A column change; <see cref="Old"/> is what the column was, as far as the source says.</summary>
public sealed record AlterColumnOperation(TableName TableName, ColumnDefinition Column, ColumnDefinition? Old) : SchemaOperation
{
    /// <summary>Whether the column is part of a primary or foreign key; null when the front end cannot tell.</summary>
    public bool? IsKeyColumn { get; init; }

    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " ALTER COLUMN " + Quote(Column.Name);
}
