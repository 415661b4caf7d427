namespace SafeMigrations.Core.Postgres;

/// <summary>
/// The runner's exclusion: a session-level advisory lock on a 64-bit key. It is only ever *tried*
/// (pg_try_advisory_lock never waits), so a runner that must wait polls from outside the lock queue and
/// never sits in front of application queries. Values are parameters: @key (bigint).
/// </summary>
public static class AdvisoryLockSql
{
    /// <summary>Returns true when this session now holds the lock; never waits.</summary>
    public const string TryAcquire = "SELECT pg_try_advisory_lock(@key)";

    /// <summary>Names the session in pg_stat_activity (@name): waiting runners report it.</summary>
    public const string SetApplicationName = "SELECT set_config('application_name', @name, false)";

    public const string Release = "SELECT pg_advisory_unlock(@key)";

    /// <summary>
    /// Who holds the lock: pg_locks shows a bigint advisory key as classid (high 32 bits) and objid (low 32
    /// bits) with objsubid 1. Columns: pid, application_name, client address, backend start, current query.
    /// </summary>
    public const string Holder =
        "SELECT a.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local'), a.backend_start, coalesce(a.query, '') " +
        "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid " +
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 " +
        "AND l.classid = ((@key >> 32) & 4294967295)::oid AND l.objid = (@key & 4294967295)::oid " +
        "LIMIT 1";

    /// <summary>Sessions waiting in the queue of the lock (the runner must never be one of them).</summary>
    public const string Waiters =
        "SELECT count(*) FROM pg_locks l WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objsubid = 1 " +
        "AND l.classid = ((@key >> 32) & 4294967295)::oid AND l.objid = (@key & 4294967295)::oid";

    /// <summary>The default key: "SafeMigr" read as a big-endian 64-bit integer, the same for every runner of every app.</summary>
    public const long DefaultKey = 0x536166654D696772;
}
