using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Postgres;

/// <summary>
/// The SQL of the safe constraint recipe: add the constraint NOT VALID (a brief lock, no scan), then
/// VALIDATE it in a later migration (SHARE UPDATE EXCLUSIVE: reads and writes go on). Identifiers are
/// quoted; check expressions are the user's own SQL, passed through as EF would.
/// </summary>
public static class ConstraintSql
{
    /// <summary>ADD CONSTRAINT … FOREIGN KEY … NOT VALID; null when a name it needs is unknown (empty, or "?" as front ends write a name they could not read).</summary>
    public static string? AddNotValid(AddForeignKeyChange foreignKey)
    {
        if (!IsKnown(foreignKey.Name) || !IsKnown(foreignKey.TableName) || !IsKnown(foreignKey.PrincipalTable)
            || foreignKey.Columns.Count == 0 || !foreignKey.Columns.All(IsKnown) || !foreignKey.PrincipalColumns.All(IsKnown))
        {
            return null;
        }

        var sql = "ALTER TABLE " + Qualified(foreignKey.TableName)
            + " ADD CONSTRAINT " + PostgresIdentifiers.Quote(foreignKey.Name)
            + " FOREIGN KEY (" + List(foreignKey.Columns) + ") REFERENCES " + Qualified(foreignKey.PrincipalTable)
            + (foreignKey.PrincipalColumns.Count > 0 ? " (" + List(foreignKey.PrincipalColumns) + ")" : string.Empty)
            + Action("DELETE", foreignKey.OnDelete) + Action("UPDATE", foreignKey.OnUpdate);
        return sql + " NOT VALID;";
    }

    /// <summary>ADD CONSTRAINT … CHECK (…) NOT VALID; null when a name or the expression is unknown.</summary>
    public static string? AddNotValid(AddCheckConstraintChange check) =>
        IsKnown(check.Name) && IsKnown(check.TableName) && check.Sql.Trim().Length > 0
            ? "ALTER TABLE " + Qualified(check.TableName) + " ADD CONSTRAINT " + PostgresIdentifiers.Quote(check.Name) + " CHECK (" + check.Sql + ") NOT VALID;"
            : null;

    /// <summary>VALIDATE CONSTRAINT; null when a name is unknown.</summary>
    public static string? Validate(TableName table, string constraint) =>
        IsKnown(table) && IsKnown(constraint)
            ? "ALTER TABLE " + Qualified(table) + " VALIDATE CONSTRAINT " + PostgresIdentifiers.Quote(constraint) + ";"
            : null;

    /// <summary>The name of the check the not-null recipe adds: &lt;table&gt;_&lt;column&gt;_not_null, cut to PostgreSQL's 63 bytes.</summary>
    public static string NotNullCheckName(TableName table, string column) => PostgresIdentifiers.Truncate(table.Name + "_" + column + "_not_null");

    /// <summary>ADD CONSTRAINT … CHECK ("column" IS NOT NULL) NOT VALID: a brief lock, no scan; once validated, SET NOT NULL skips its scan (PostgreSQL 12+).</summary>
    public static string AddNotNullCheck(TableName table, string column, string name) =>
        "ALTER TABLE " + Qualified(table) + " ADD CONSTRAINT " + PostgresIdentifiers.Quote(name) + " CHECK (" + PostgresIdentifiers.Quote(column) + " IS NOT NULL) NOT VALID;";

    /// <summary>DROP CONSTRAINT IF EXISTS: re-runnable.</summary>
    public static string Drop(TableName table, string name) =>
        "ALTER TABLE " + Qualified(table) + " DROP CONSTRAINT IF EXISTS " + PostgresIdentifiers.Quote(name) + ";";

    /// <summary>ADD CONSTRAINT … UNIQUE (or PRIMARY KEY) USING INDEX: the constraint takes over a unique index built concurrently before, with a brief lock.</summary>
    public static string AddUsingIndex(TableName table, string name, string index, bool primaryKey) =>
        "ALTER TABLE " + Qualified(table) + " ADD CONSTRAINT " + PostgresIdentifiers.Quote(name) + (primaryKey ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX " + PostgresIdentifiers.Quote(index) + ";";

    public static string Qualified(TableName table) =>
        (table.Schema is { } schema ? PostgresIdentifiers.Quote(schema) + "." : string.Empty) + PostgresIdentifiers.Quote(table.Name);

    private static bool IsKnown(string name) => name.Length > 0 && name != "?" && name.IndexOf('\0') < 0;

    private static bool IsKnown(TableName table) => IsKnown(table.Name) && (table.Schema is null || IsKnown(table.Schema));

    private static string List(IEnumerable<string> columns) => string.Join(", ", columns.Select(PostgresIdentifiers.Quote));

    private static string Action(string on, ForeignKeyAction action) => action switch
    {
        ForeignKeyAction.Restrict => " ON " + on + " RESTRICT",
        ForeignKeyAction.Cascade => " ON " + on + " CASCADE",
        ForeignKeyAction.SetNull => " ON " + on + " SET NULL",
        ForeignKeyAction.SetDefault => " ON " + on + " SET DEFAULT",
        _ => string.Empty,
    };
}
