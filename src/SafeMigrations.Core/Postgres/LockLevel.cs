namespace SafeMigrations.Core.Postgres;

/// <summary>PostgreSQL's table-level lock modes that migrations take, weakest first.</summary>
public enum LockLevel
{
    None,
    AccessShare,
    RowShare,
    RowExclusive,
    ShareUpdateExclusive,
    Share,
    ShareRowExclusive,
    Exclusive,
    AccessExclusive,
}

public static class LockLevels
{
    public static string SqlName(this LockLevel level) => level switch
    {
        LockLevel.AccessShare => "ACCESS SHARE",
        LockLevel.RowShare => "ROW SHARE",
        LockLevel.RowExclusive => "ROW EXCLUSIVE",
        LockLevel.ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
        LockLevel.Share => "SHARE",
        LockLevel.ShareRowExclusive => "SHARE ROW EXCLUSIVE",
        LockLevel.Exclusive => "EXCLUSIVE",
        LockLevel.AccessExclusive => "ACCESS EXCLUSIVE",
        _ => "no",
    };

    /// <summary>What the lock does to the application, for messages.</summary>
    public static string Effect(this LockLevel level) => level switch
    {
        LockLevel.AccessExclusive => "blocks reads and writes",
        LockLevel.Exclusive or LockLevel.ShareRowExclusive or LockLevel.Share => "blocks writes",
        _ => "blocks neither reads nor writes",
    };

    public static bool BlocksWrites(this LockLevel level) => level >= LockLevel.Share;

    public static bool BlocksReads(this LockLevel level) => level == LockLevel.AccessExclusive;
}
