namespace SafeMigrations.Core.Model;

public enum DataChangeKind
{
    Insert,
    InsertSelect,
    Update,
    Delete,
}

/// <summary>InsertData/UpdateData/DeleteData, or INSERT/UPDATE/DELETE in raw SQL.</summary>
public sealed record DataChange(DataChangeKind Kind, TableName TableName) : SchemaChange
{
    public bool HasWhereClause { get; init; }

    public override TableName? Table => TableName;

    public override bool IsSchemaChange => false;

    public override string Describe() => Kind switch
    {
        DataChangeKind.Insert => "INSERT INTO " + TableName,
        DataChangeKind.InsertSelect => "INSERT INTO " + TableName + " … SELECT",
        DataChangeKind.Update => "UPDATE " + TableName,
        _ => "DELETE FROM " + TableName,
    };
}
