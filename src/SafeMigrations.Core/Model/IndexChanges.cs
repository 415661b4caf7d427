using System.Collections.Generic;

namespace SafeMigrations.Core.Model;

public sealed record CreateIndexChange(string Name, TableName TableName, IReadOnlyList<string> Columns) : SchemaChange
{
    public bool IsUnique { get; init; }

    public bool Concurrently { get; init; }

    public bool IfNotExists { get; init; }

    public string? Filter { get; init; }

    public override TableName? Table => TableName;

    public override bool RunsOutsideTransaction => Concurrently;

    public override string Describe() =>
        "CREATE " + (IsUnique ? "UNIQUE " : string.Empty) + "INDEX " + (Concurrently ? "CONCURRENTLY " : string.Empty) + Quote(Name) + " ON " + TableName;
}

public sealed record DropIndexChange(string Name, TableName? TableName) : SchemaChange
{
    public bool Concurrently { get; init; }

    public bool IfExists { get; init; }

    public override TableName? Table => TableName;

    public override bool RunsOutsideTransaction => Concurrently;

    public override string Describe() => "DROP INDEX " + (Concurrently ? "CONCURRENTLY " : string.Empty) + Quote(Name);
}

public sealed record RenameIndexChange(string Name, string NewName, TableName? TableName) : SchemaChange
{
    public override TableName? Table => TableName;

    public override string Describe() => "ALTER INDEX " + Quote(Name) + " RENAME TO " + Quote(NewName);
}
