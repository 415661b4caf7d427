namespace SafeMigrations.Core.Model;

public sealed record AddColumnChange(TableName TableName, ColumnDefinition Column) : SchemaChange
{
    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " ADD COLUMN " + Quote(Column.Name);
}

public sealed record DropColumnChange(TableName TableName, string Column) : SchemaChange
{
    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " DROP COLUMN " + Quote(Column);
}

public sealed record RenameColumnChange(TableName TableName, string Column, string NewName) : SchemaChange
{
    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " RENAME COLUMN " + Quote(Column) + " TO " + Quote(NewName);
}

/// <summary>A column change; <see cref="Old"/> is what the column was, as far as the source says.</summary>
public sealed record AlterColumnChange(TableName TableName, ColumnDefinition Column, ColumnDefinition? Old) : SchemaChange
{
    /// <summary>Whether the column is part of a primary or foreign key; null when the front end cannot tell.</summary>
    public bool? IsKeyColumn { get; init; }

    public override TableName? Table => TableName;

    public override string Describe() => "ALTER TABLE " + TableName + " ALTER COLUMN " + Quote(Column.Name);
}
