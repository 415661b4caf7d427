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

    /// <summary>
    /// A DO block that drops the index only when it is INVALID (what a failed concurrent build leaves, and IF NOT EXISTS
    /// would keep), under a 5 s lock_timeout when none is set: with it first, the concurrent build runs again under a
    /// plain dotnet ef database update. Without a schema, the session's current schema.
    /// </summary>
    public static string DropIfInvalid(string? schema, string index) =>
        "DO $$\nBEGIN\n    IF EXISTS (SELECT FROM pg_index i\n               JOIN pg_class c ON c.oid = i.indexrelid\n               JOIN pg_namespace n ON n.oid = c.relnamespace\n"
        + "               WHERE n.nspname = " + (schema is null ? "current_schema()" : Literal(schema)) + " AND c.relname = " + Literal(index) + " AND NOT i.indisvalid) THEN\n"
        + "        IF current_setting('lock_timeout') = '0' THEN\n            PERFORM set_config('lock_timeout', '5s', true);\n        END IF;\n"
        + "        DROP INDEX " + (schema is null ? string.Empty : PostgresIdentifiers.Quote(schema) + ".") + PostgresIdentifiers.Quote(index) + ";\n    END IF;\nEND $$;";

    /// <summary>
    /// Why a migration holding <see cref="DropIfInvalid"/> and the concurrent build is fine, as [SuppressMigrationRule]
    /// justifications by rule id: the generator and the templates write these.
    /// </summary>
    public static System.Collections.Generic.IReadOnlyList<(string RuleId, string Justification)> RerunnableBuildSuppressions { get; } =
    [
        (Rules.RuleIds.NonTransactionalOperationNotAlone, "The first statement only drops an INVALID index left by a failed build of this migration, and both statements can run again: EF committing between them loses nothing."),
        (Rules.RuleIds.RawSql, "The DO block drops only an INVALID index of this name (left by a failed build), under a 5 s lock_timeout when none is set."),
    ];

    private static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    /// <summary>CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS on the columns: SHARE UPDATE EXCLUSIVE, outside a transaction.</summary>
    public static string CreateConcurrently(TableName table, string name, System.Collections.Generic.IEnumerable<string> columns, bool unique) =>
        "CREATE " + (unique ? "UNIQUE " : string.Empty) + "INDEX CONCURRENTLY IF NOT EXISTS " + PostgresIdentifiers.Quote(name) + " ON " + ConstraintSql.Qualified(table)
        + " (" + string.Join(", ", System.Linq.Enumerable.Select(columns, PostgresIdentifiers.Quote)) + ");";
}
