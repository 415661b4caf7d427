using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Postgres;

/// <summary>
/// The statements of the expand/contract recipe for a column (a rename, or a move to a new type): a trigger keeps the
/// old and the new column in step whichever release writes, a batched backfill copies the rows that existed, and the
/// contract drops the trigger, its function and the old column. The safemig-expand template writes the same.
/// </summary>
public static class ExpandSql
{
    /// <summary>The sync function's and trigger's name: &lt;table&gt;_sync_&lt;new column&gt;, cut to 63 bytes.</summary>
    public static string SyncName(TableName table, string newColumn) => PostgresIdentifiers.Truncate(table.Name + "_sync_" + newColumn);

    /// <summary>
    /// The trigger function: an insert gets whichever column it lacks from the other; an update of one column only
    /// is copied to the other. <paramref name="newType"/> and <paramref name="oldType"/> cast between the two types.
    /// </summary>
    public static string CreateSyncFunction(TableName table, string function, string oldColumn, string newColumn, string? newType = null, string? oldType = null)
    {
        string o = PostgresIdentifiers.Quote(oldColumn), n = PostgresIdentifiers.Quote(newColumn);
        string toNew = Cast(newType), toOld = Cast(oldType);
        return "CREATE OR REPLACE FUNCTION " + ConstraintSql.Qualified(new TableName(function, table.Schema)) + "() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            + "BEGIN\n"
            + "    IF TG_OP = 'INSERT' THEN\n"
            + $"        IF NEW.{n} IS NULL THEN\n"
            + $"            NEW.{n} := NEW.{o}{toNew};\n"
            + $"        ELSIF NEW.{o} IS NULL THEN\n"
            + $"            NEW.{o} := NEW.{n}{toOld};\n"
            + "        END IF;\n"
            + $"    ELSIF NEW.{o} IS DISTINCT FROM OLD.{o} AND NEW.{n} IS NOT DISTINCT FROM OLD.{n} THEN\n"
            + $"        NEW.{n} := NEW.{o}{toNew};\n"
            + $"    ELSIF NEW.{n} IS DISTINCT FROM OLD.{n} AND NEW.{o} IS NOT DISTINCT FROM OLD.{o} THEN\n"
            + $"        NEW.{o} := NEW.{n}{toOld};\n"
            + "    END IF;\n"
            + "    RETURN NEW;\n"
            + "END $$;";
    }

    public static string CreateSyncTrigger(TableName table, string function) =>
        "CREATE TRIGGER " + PostgresIdentifiers.Quote(function) + " BEFORE INSERT OR UPDATE ON " + ConstraintSql.Qualified(table)
        + " FOR EACH ROW EXECUTE FUNCTION " + ConstraintSql.Qualified(new TableName(function, table.Schema)) + "();";

    public static string DropSyncTrigger(TableName table, string function) =>
        "DROP TRIGGER IF EXISTS " + PostgresIdentifiers.Quote(function) + " ON " + ConstraintSql.Qualified(table) + ";";

    public static string DropSyncFunction(TableName table, string function) =>
        "DROP FUNCTION IF EXISTS " + ConstraintSql.Qualified(new TableName(function, table.Schema)) + "();";

    /// <summary>The batched copy of <paramref name="from"/> into <paramref name="to"/> for the rows that lack it (the primary key is the batches' key).</summary>
    public static string Copy(TableName table, string from, string to, string? cast = null, int batchSize = 1000) =>
        Runner.BackfillSql.Statement(new Runner.BackfillSpec(table.Schema, table.Name, string.Empty,
            PostgresIdentifiers.Quote(to) + " = " + PostgresIdentifiers.Quote(from) + Cast(cast),
            PostgresIdentifiers.Quote(to) + " IS NULL AND " + PostgresIdentifiers.Quote(from) + " IS NOT NULL",
            batchSize, 0));

    private static string Cast(string? type) => string.IsNullOrWhiteSpace(type) ? string.Empty : "::" + type;
}
