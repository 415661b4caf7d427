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
}
