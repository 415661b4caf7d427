using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Postgres;

/// <summary>The SQL of the safe index recipes; identifiers quoted.</summary>
public static class IndexSql
{
    /// <summary>DROP INDEX CONCURRENTLY IF EXISTS (re-runnable, no ACCESS EXCLUSIVE); null when the name is unknown.</summary>
    public static string? DropConcurrently(DropIndexChange drop)
    {
        if (drop is null || drop.Name.Length == 0 || drop.Name == "?")
        {
            return null;
        }

        var schema = drop.TableName?.Schema;
        return "DROP INDEX CONCURRENTLY IF EXISTS " + (schema is null ? string.Empty : PostgresIdentifiers.Quote(schema) + ".") + PostgresIdentifiers.Quote(drop.Name) + ";";
    }

    /// <summary>CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS on the columns: SHARE UPDATE EXCLUSIVE, outside a transaction.</summary>
    public static string CreateConcurrently(TableName table, string name, System.Collections.Generic.IEnumerable<string> columns, bool unique) =>
        "CREATE " + (unique ? "UNIQUE " : string.Empty) + "INDEX CONCURRENTLY IF NOT EXISTS " + PostgresIdentifiers.Quote(name) + " ON " + ConstraintSql.Qualified(table)
        + " (" + string.Join(", ", System.Linq.Enumerable.Select(columns, PostgresIdentifiers.Quote)) + ");";
}
