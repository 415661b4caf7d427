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
    public static string AddNotValid(AddForeignKeyOperation foreignKey)
    {
        var sql = "ALTER TABLE " + Qualified(foreignKey.TableName)
            + " ADD CONSTRAINT " + PostgresIdentifiers.Quote(foreignKey.Name)
            + " FOREIGN KEY (" + List(foreignKey.Columns) + ") REFERENCES " + Qualified(foreignKey.PrincipalTable)
            + (foreignKey.PrincipalColumns.Count > 0 ? " (" + List(foreignKey.PrincipalColumns) + ")" : string.Empty)
            + Action("DELETE", foreignKey.OnDelete) + Action("UPDATE", foreignKey.OnUpdate);
        return sql + " NOT VALID;";
    }

    public static string AddNotValid(AddCheckConstraintOperation check) =>
        "ALTER TABLE " + Qualified(check.TableName) + " ADD CONSTRAINT " + PostgresIdentifiers.Quote(check.Name) + " CHECK (" + check.Sql + ") NOT VALID;";

    public static string Validate(TableName table, string constraint) =>
        "ALTER TABLE " + Qualified(table) + " VALIDATE CONSTRAINT " + PostgresIdentifiers.Quote(constraint) + ";";

    public static string Qualified(TableName table) =>
        (table.Schema is { } schema ? PostgresIdentifiers.Quote(schema) + "." : string.Empty) + PostgresIdentifiers.Quote(table.Name);

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
