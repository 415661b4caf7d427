using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Runner;

/// <summary>
/// Backups of what a destructive step destroys, taken in the step's own transaction just before it: a dropped
/// column's values with the table's primary key, a dropped table whole. They live in the schema
/// safemigrations_backup, listed in safemigrations.backups; `safemig restore` puts them back.
/// </summary>
public static class BackupSql
{
    public static readonly string Schema = "safemigrations_backup";

    public static readonly string Create =
        "CREATE SCHEMA IF NOT EXISTS safemigrations_backup;\n" +
        "CREATE TABLE IF NOT EXISTS safemigrations.backups (backup_table text PRIMARY KEY, migration_id text NOT NULL, source_schema text NOT NULL, " +
        "source_table text NOT NULL, column_name text, key_columns text[] NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n" +
        // Which step dropped it: 'up' (restore after rolling back) or 'down' (restore after applying again).
        "ALTER TABLE safemigrations.backups ADD COLUMN IF NOT EXISTS taken_by text NOT NULL DEFAULT 'up';\n" +
        // Backups are data too: only the role that runs migrations (the owner) reads them.
        "REVOKE ALL ON SCHEMA safemigrations_backup FROM PUBLIC";

    /// <summary>The primary key columns of @table (a regclass text such as 'public."todo_items"'), in key order.</summary>
    public static readonly string PrimaryKey =
        "SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) " +
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE i.indrelid = to_regclass(@table) AND i.indisprimary ORDER BY k.ord";

    /// <summary>The schema a relation lives in (resolving the search path when none is given), or NULL when it does not exist.</summary>
    public static readonly string RelationSchema = "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(@table)";

    public static readonly string Record =
        "INSERT INTO safemigrations.backups (backup_table, migration_id, source_schema, source_table, column_name, key_columns, taken_by) " +
        "VALUES (@backup, @migration, @schema, @table, @column, @keys, @direction) ON CONFLICT (backup_table) DO NOTHING";

    /// <summary>The newest backup of each table and column a migration dropped (it may have been applied, rolled back and applied again).</summary>
    public static readonly string ForMigration =
        "SELECT DISTINCT ON (source_schema, source_table, coalesce(column_name, '')) backup_table, source_schema, source_table, column_name, key_columns, taken_by " +
        "FROM safemigrations.backups WHERE migration_id = @migration ORDER BY source_schema, source_table, coalesce(column_name, ''), created_at DESC";

    /// <summary>Backups of a migration's table or column taken by its Up or its Down (@direction), newest first.</summary>
    public static readonly string Find =
        "SELECT backup_table FROM safemigrations.backups WHERE migration_id = @migration AND source_table = @table AND column_name IS NOT DISTINCT FROM @column AND taken_by = @direction ORDER BY created_at DESC LIMIT 1";

    /// <summary>The migrations with backups whose id is @migration or whose name (the id without its timestamp) is.</summary>
    public static readonly string MigrationIds =
        "SELECT DISTINCT migration_id FROM safemigrations.backups WHERE migration_id = @migration OR substr(migration_id, 16) = @migration ORDER BY migration_id";

    /// <summary>Every backup, newest first, with its size on disk.</summary>
    public static readonly string List =
        "SELECT backup_table, migration_id, source_schema, source_table, column_name, taken_by, created_at, " +
        "coalesce(pg_total_relation_size(to_regclass(format('%I.%I', 'safemigrations_backup', backup_table))), 0) " +
        "FROM safemigrations.backups ORDER BY created_at DESC, backup_table";

    /// <summary>The backups of one migration (by id).</summary>
    public static readonly string OfMigration = "SELECT backup_table FROM safemigrations.backups WHERE migration_id = @migration";

    public static readonly string Expired = "SELECT backup_table FROM safemigrations.backups WHERE created_at < now() - @age";

    public static readonly string Exists = "SELECT to_regclass('safemigrations.backups') IS NOT NULL";

    public static readonly string Forget = "DELETE FROM safemigrations.backups WHERE backup_table = @backup";

    /// <summary>
    /// A backup table's name: readable, stamped with when it was taken (a migration applied again after a rollback
    /// keeps its earlier backup), never over PostgreSQL's 63 bytes (a hash keeps long names apart).
    /// </summary>
    public static string TableName(string migrationId, string table, string? column, System.DateTime takenUtc)
    {
        var name = migrationId + "_" + table + (column is null ? string.Empty : "_" + column) + "_" + takenUtc.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        if (!PostgresIdentifiers.IsTooLong(name))
        {
            return name;
        }

        using var sha = SHA256.Create();
        var hash = string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(name)).Take(4).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        return PostgresIdentifiers.Truncate(name.Substring(0, System.Math.Min(name.Length, 50))) + "_" + hash;
    }

    public static string BackupColumn(string backupTable, string schema, string table, IReadOnlyList<string> keyColumns, string column) =>
        "CREATE TABLE IF NOT EXISTS " + RunnerSql.Qualified(Schema, backupTable) + " AS SELECT " +
        string.Join(", ", keyColumns.Concat(new[] { column }).Select(PostgresIdentifiers.Quote)) + " FROM " + RunnerSql.Qualified(schema, table);

    public static string BackupTable(string backupTable, string schema, string table) =>
        "CREATE TABLE IF NOT EXISTS " + RunnerSql.Qualified(Schema, backupTable) + " AS TABLE " + RunnerSql.Qualified(schema, table);

    /// <summary>
    /// Puts a column's values back by primary key (the column must exist again). A NULL in the backup is not written:
    /// the re-created column is NULL there already, or, NOT NULL with a default, keeps the default (a row written while
    /// the column was not mapped has no value to give back).
    /// </summary>
    public static string RestoreColumn(string backupTable, string schema, string table, IReadOnlyList<string> keyColumns, string column) =>
        "UPDATE " + RunnerSql.Qualified(schema, table) + " t SET " + PostgresIdentifiers.Quote(column) + " = b." + PostgresIdentifiers.Quote(column) +
        " FROM " + RunnerSql.Qualified(Schema, backupTable) + " b WHERE " +
        string.Join(" AND ", keyColumns.Select(k => "t." + PostgresIdentifiers.Quote(k) + " = b." + PostgresIdentifiers.Quote(k))) +
        " AND b." + PostgresIdentifiers.Quote(column) + " IS NOT NULL";

    /// <summary>Puts a table's rows back (the table must exist again); rows already there are kept.</summary>
    public static string RestoreTable(string backupTable, string schema, string table) =>
        "INSERT INTO " + RunnerSql.Qualified(schema, table) + " SELECT * FROM " + RunnerSql.Qualified(Schema, backupTable) + " ON CONFLICT DO NOTHING";

    /// <summary>How many rows a backup holds.</summary>
    public static string CountRows(string backupTable) => "SELECT count(*) FROM " + RunnerSql.Qualified(Schema, backupTable);

    /// <summary>How many of a table's rows there are, or how many hold a value in one of its columns.</summary>
    public static string CountValues(string schema, string table, string? column) =>
        "SELECT count(" + (column is null ? "*" : PostgresIdentifiers.Quote(column)) + ") FROM " + RunnerSql.Qualified(schema, table);

    public static string Drop(string backupTable) => "DROP TABLE IF EXISTS " + RunnerSql.Qualified(Schema, backupTable);
}
