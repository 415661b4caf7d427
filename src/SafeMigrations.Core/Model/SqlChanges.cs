namespace SafeMigrations.Core.Model;

/// <summary>
/// migrationBuilder.Sql(...): analysis splits and classifies it into the operations above; the call
/// itself matters for transaction handling.
/// </summary>
public sealed record RawSqlChange(string Sql) : SchemaChange
{
    public bool SuppressTransaction { get; init; }

    /// <summary>False when the SQL is not a compile-time constant (string built at run time).</summary>
    public bool IsKnown { get; init; } = true;

    public override bool RunsOutsideTransaction => SuppressTransaction;

    public override string Describe() => "Sql(...)";
}

/// <summary>A statement that was recognised and needs no rule (CREATE VIEW, COMMENT, GRANT, SELECT, ANALYZE, …).</summary>
public sealed record OtherStatementChange(string Kind, bool ChangesSchema) : SchemaChange
{
    public override bool IsSchemaChange => ChangesSchema;

    public override string Describe() => Kind;
}

/// <summary>SET/RESET of a session setting such as lock_timeout.</summary>
public sealed record SessionSettingChange(string Name, string? Value) : SchemaChange
{
    public override bool IsSchemaChange => false;

    public override string Describe() => "SET " + Name + (Value is null ? string.Empty : " = " + Value);
}

/// <summary>BEGIN / COMMIT / ROLLBACK written inside a migration.</summary>
public sealed record TransactionControlChange(string Keyword) : SchemaChange
{
    public override bool IsSchemaChange => false;

    public override string Describe() => Keyword;
}

/// <summary>SQL the classifier could not judge; it is reported as such rather than guessed.</summary>
public sealed record UnanalyzableSqlChange(string Statement, string Reason) : SchemaChange
{
    public override bool IsSchemaChange => true;

    public override string Describe() => Statement.Length > 80 ? Statement.Substring(0, 77) + "..." : Statement;
}

/// <summary>CREATE [OR REPLACE] VIEW: a new name for a query; a view over one table is updatable, so it can stand in for a renamed table.</summary>
public sealed record CreateViewChange(TableName Name) : SchemaChange
{
    public override string Describe() => "CREATE VIEW " + Name;
}
