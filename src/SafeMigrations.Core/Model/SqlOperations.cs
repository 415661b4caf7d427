namespace SafeMigrations.Core.Model;

/// <summary>
/// migrationBuilder.Sql(...): analysis splits and classifies it into the operations above; the call
/// itself matters for transaction handling.
/// </summary>
public sealed record RawSqlOperation(string Sql) : SchemaOperation
{
    public bool SuppressTransaction { get; init; }

    /// <summary>False when the SQL is not a compile-time constant (string built at run time).</summary>
    public bool IsKnown { get; init; } = true;

    public override bool RunsOutsideTransaction => SuppressTransaction;

    public override string Describe() => "Sql(...)";
}

/// <summary>A statement that was recognised and needs no rule (CREATE VIEW, COMMENT, GRANT, SELECT, ANALYZE, …).</summary>
public sealed record OtherStatementOperation(string Kind, bool ChangesSchema) : SchemaOperation
{
    public override bool IsSchemaChange => ChangesSchema;

    public override string Describe() => Kind;
}

/// <summary>SET/RESET of a session setting such as lock_timeout.</summary>
public sealed record SessionSettingOperation(string Name, string? Value) : SchemaOperation
{
    public override bool IsSchemaChange => false;

    public override string Describe() => "SET " + Name + (Value is null ? string.Empty : " = " + Value);
}

/// <summary>BEGIN / COMMIT / ROLLBACK written inside a migration.</summary>
public sealed record TransactionControlOperation(string Keyword) : SchemaOperation
{
    public override bool IsSchemaChange => false;

    public override string Describe() => Keyword;
}

/// <summary>SQL the classifier could not judge; it is reported as such rather than guessed.</summary>
public sealed record UnanalyzableSqlOperation(string Statement, string Reason) : SchemaOperation
{
    public override bool IsSchemaChange => true;

    public override string Describe() => Statement.Length > 80 ? Statement.Substring(0, 77) + "..." : Statement;
}

/// <summary>CREATE [OR REPLACE] VIEW: a new name for a query; a view over one table is updatable, so it can stand in for a renamed table.</summary>
public sealed record CreateViewOperation(TableName Name) : SchemaOperation
{
    public override string Describe() => "CREATE VIEW " + Name;
}
