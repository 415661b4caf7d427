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

/// <summary>What a <see cref="TableCommandChange"/> does; the lock each takes is decided in LockCatalog.</summary>
public enum TableCommandKind
{
    /// <summary>ALTER TABLE … ALTER COLUMN … SET/DROP DEFAULT, SET STORAGE, identity options, ADD/DROP EXPRESSION; OWNER, INHERIT, REPLICA IDENTITY …: catalog only.</summary>
    CatalogOnly,

    /// <summary>ALTER COLUMN … SET STATISTICS, SET/RESET (attribute or storage options), CLUSTER ON, SET WITHOUT CLUSTER.</summary>
    Settings,

    /// <summary>ENABLE/DISABLE TRIGGER.</summary>
    Trigger,

    /// <summary>ATTACH PARTITION.</summary>
    AttachPartition,

    /// <summary>LOCK TABLE, in the mode it names.</summary>
    LockTable,

    /// <summary>REFRESH MATERIALIZED VIEW [CONCURRENTLY].</summary>
    RefreshMaterializedView,

    /// <summary>COMMENT ON TABLE or COLUMN (EF's HasComment).</summary>
    Comment,
}

/// <summary>
/// A statement on one table that no rule judges but whose lock is claimed like every other: a catalog-only ALTER
/// TABLE action (SET DEFAULT, ENABLE TRIGGER, …), LOCK TABLE, REFRESH MATERIALIZED VIEW.
/// </summary>
public sealed record TableCommandChange(TableCommandKind Kind, TableName Target, string Text) : SchemaChange
{
    /// <summary>The mode LOCK TABLE names (ACCESS EXCLUSIVE when it names none).</summary>
    public Postgres.LockLevel RequestedLock { get; init; } = Postgres.LockLevel.AccessExclusive;

    /// <summary>REFRESH MATERIALIZED VIEW CONCURRENTLY.</summary>
    public bool Concurrently { get; init; }

    public override TableName? Table => Target;

    public override bool IsSchemaChange => Kind is not (TableCommandKind.LockTable or TableCommandKind.RefreshMaterializedView);

    public override string Describe() => Text;
}
