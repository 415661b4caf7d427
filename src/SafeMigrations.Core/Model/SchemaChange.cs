namespace SafeMigrations.Core.Model;

/// <summary>The statement of a raw SQL call an operation was classified from.</summary>
public sealed record SqlOrigin(string Statement, int StatementIndex, bool InsideTransaction);

/// <summary>
/// One normalized schema change. Every front end (the analyzers' C# syntax, the build gate's EF
/// operations, raw SQL) maps its input to these, so rules are written once.
/// </summary>
public abstract record SchemaChange
{
    public SourceLocation? Location { get; init; }

    /// <summary>Set when the operation came from a raw SQL statement.</summary>
    public SqlOrigin? FromSql { get; init; }

    /// <summary>The table acted on, when there is one.</summary>
    public virtual TableName? Table => null;

    /// <summary>Changes the schema (as opposed to data, session settings or maintenance).</summary>
    public virtual bool IsSchemaChange => true;

    /// <summary>Must run outside a transaction (CONCURRENTLY, or a Sql call with suppressTransaction).</summary>
    public virtual bool RunsOutsideTransaction => false;

    /// <summary>Short SQL-like text for messages, e.g. CREATE INDEX "IX_a" ON "t".</summary>
    public abstract string Describe();

    protected static string Quote(string name) => "\"" + name + "\"";
}
