namespace SafeMigrations.Core.Postgres;

/// <summary>
/// What `safemig verify` reads from PostgreSQL to observe a statement: the relation locks a backend holds
/// (pg_locks, @pid), each relation's storage file (pg_class.relfilenode: a new one is a rewrite), and the
/// rows a transaction read sequentially (pg_stat_xact_user_tables: a scan). The runner's own schemas (its tables and
/// backups) and EF's history table are never observed.
/// </summary>
public static class ObservationSql
{
    private const string UserRelations =
        "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'safemigrations%' AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' " +
        "AND c.relname <> '__EFMigrationsHistory'";

    /// <summary>
    /// The relation locks backend @pid holds or waits for (a lock it waits for is one it takes once granted), by oid (no
    /// join with pg_class: a relation the statement dropped keeps its lock until the transaction ends but is gone from
    /// the catalog it sees). Columns: oid, mode, granted.
    /// </summary>
    public static readonly string HeldLocks = "SELECT relation, mode, granted FROM pg_locks WHERE pid = @pid AND locktype = 'relation'";

    /// <summary>Tables, partitioned tables, materialized views and indexes with their storage file. Columns: oid, schema, name, kind, relfilenode.</summary>
    public static readonly string Relations =
        "SELECT c.oid, n.nspname, c.relname, c.relkind::text, c.relfilenode FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE c.relkind IN ('r', 'p', 'm', 'i') AND " + UserRelations;

    /// <summary>The user tables, most rows first (the planner's estimate, after ANALYZE). Columns: schema, name. Parameter: @limit.</summary>
    public static readonly string LargestTables =
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND " + UserRelations +
        " ORDER BY c.reltuples DESC, n.nspname, c.relname LIMIT @limit";

    /// <summary>Rows this transaction read sequentially, per table. Columns: relid, seq_tup_read.</summary>
    public static readonly string SequentialReads = "SELECT relid, seq_tup_read FROM pg_stat_xact_user_tables";

    /// <summary>
    /// The schema as lines to compare (a column with its type, nullability and default; every constraint and index
    /// by its definition), sorted: the schema after a Down compared with the schema before the Up.
    /// </summary>
    public static readonly string SchemaShape =
        "SELECT line FROM (" +
        "SELECT format('column %I.%I.%I %s%s%s', n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN ' not null' ELSE '' END, " +
        "coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')) AS line " +
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum " +
        "WHERE c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped AND " + UserRelations +
        " UNION ALL " +
        "SELECT format('constraint %I.%I %I %s', n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid)) " +
        "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + UserRelations +
        " UNION ALL " +
        "SELECT format('index %s', pg_get_indexdef(i.indexrelid)) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + UserRelations +
        ") shape ORDER BY line";

    /// <summary>
    /// The columns a seeded row needs, per table, with the table's single-column foreign keys and whether the column
    /// is unique alone. Columns: schema, table, column, type, udt kind (e: enum), not null, has default, identity or
    /// generated, referenced schema, referenced table, referenced column, unique.
    /// </summary>
    public static readonly string SeedColumns =
        "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), t.typtype::text, a.attnotnull, a.atthasdef, " +
        "(a.attidentity <> '' OR a.attgenerated <> ''), rn.nspname, rc.relname, ra.attname, " +
        "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique AND i.indnkeyatts = 1 AND i.indkey[0] = a.attnum) " +
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid " +
        "LEFT JOIN pg_constraint f ON f.conrelid = c.oid AND f.contype = 'f' AND array_length(f.conkey, 1) = 1 AND f.conkey[1] = a.attnum " +
        "LEFT JOIN pg_class rc ON rc.oid = f.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace " +
        "LEFT JOIN pg_attribute ra ON ra.attrelid = f.confrelid AND ra.attnum = f.confkey[1] " +
        "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped AND " + UserRelations +
        " ORDER BY n.nspname, c.relname, a.attnum";

    /// <summary>Each table's size as the planner's statistics know it, read from the database verify scales to (--from, read-only). Columns: schema, name, reltuples, total bytes.</summary>
    public static readonly string TableSizes =
        "SELECT n.nspname, c.relname, greatest(c.reltuples, 0)::bigint, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE c.relkind IN ('r', 'p', 'm') AND " + UserRelations;

    /// <summary>
    /// The columns rows can be copied into (not generated), per table, in column order: what verify --sample copies
    /// from the database it samples to the shadow, the columns both have. Columns: schema, table, column.
    /// </summary>
    public static readonly string CopyableColumns =
        "SELECT n.nspname, c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' AND " + UserRelations +
        " ORDER BY n.nspname, c.relname, a.attnum";

    /// <summary>Every foreign key with its columns in order. Columns: schema, table, referenced schema, referenced table, columns (text[]), referenced columns (text[]).</summary>
    public static readonly string ForeignKeys =
        "SELECT n.nspname, c.relname, rn.nspname, rc.relname, " +
        "ARRAY(SELECT a.attname::text FROM unnest(f.conkey) WITH ORDINALITY k(num, ord) JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.num ORDER BY k.ord), " +
        "ARRAY(SELECT a.attname::text FROM unnest(f.confkey) WITH ORDINALITY k(num, ord) JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.num ORDER BY k.ord) " +
        "FROM pg_constraint f JOIN pg_class c ON c.oid = f.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
        "JOIN pg_class rc ON rc.oid = f.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace WHERE f.contype = 'f' AND " + UserRelations;

    /// <summary>
    /// Columns a sequence fills (identity or serial), with the sequence: after rows are copied with their keys, the
    /// sequence must move past them or the next insert collides. Columns: schema, table, column, sequence (qualified).
    /// </summary>
    public static readonly string SequenceColumns =
        "SELECT n.nspname, c.relname, a.attname, s.seq FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
        "CROSS JOIN LATERAL (SELECT pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS seq) s " +
        "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND s.seq IS NOT NULL AND " + UserRelations;

    /// <summary>
    /// One poll of a statement outside a transaction, in one round trip (a short concurrent build holds its lock for
    /// milliseconds): the relation locks backend @pid holds or waits for, and what it waits for now, if anything.
    /// Columns: oid, mode, granted (lock rows), wait_event_type, wait_event (the one wait row).
    /// </summary>
    public static readonly string PolledLocksAndWait =
        "SELECT relation, mode, granted, NULL::text, NULL::text FROM pg_locks WHERE pid = @pid AND locktype = 'relation' " +
        "UNION ALL SELECT NULL, NULL, NULL, wait_event_type, wait_event FROM pg_stat_activity WHERE pid = @pid AND state = 'active' AND wait_event IS NOT NULL";

    /// <summary>Refreshes the planner's statistics after seeding, so the shadow's plans and reltuples match its rows.</summary>
    public static readonly string Analyze = "ANALYZE";

    /// <summary>Makes the transaction unable to write: every read of a database verify only reads (--from) runs in one.</summary>
    public static readonly string ReadOnlyTransaction = "SET TRANSACTION READ ONLY";

    /// <summary>The lock level of a pg_locks mode (AccessExclusiveLock); None for a mode that is not a table lock.</summary>
    public static LockLevel LevelOfMode(string mode) => mode switch
    {
        "AccessShareLock" => LockLevel.AccessShare,
        "RowShareLock" => LockLevel.RowShare,
        "RowExclusiveLock" => LockLevel.RowExclusive,
        "ShareUpdateExclusiveLock" => LockLevel.ShareUpdateExclusive,
        "ShareLock" => LockLevel.Share,
        "ShareRowExclusiveLock" => LockLevel.ShareRowExclusive,
        "ExclusiveLock" => LockLevel.Exclusive,
        "AccessExclusiveLock" => LockLevel.AccessExclusive,
        _ => LockLevel.None,
    };
}
