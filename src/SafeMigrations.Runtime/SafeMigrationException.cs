namespace SafeMigrations.Runtime;

/// <summary>
/// The runner refused or failed, for a reason a developer or operator can act on: the message says the cause
/// and the fix, <see cref="RuleId"/> the finding (SM4001 lock timeout, SM4002 integrity, SM4004 changed
/// migration, SM4007 watchdog, SM3002 out of order, SM3004 setup). The database is as the last completed
/// step left it.
/// </summary>
public sealed class SafeMigrationException : Exception
{
    public SafeMigrationException(string ruleId, string message, string? migrationId = null, Exception? innerException = null)
        : base(message, innerException)
    {
        RuleId = ruleId;
        MigrationId = migrationId;
    }

    public SafeMigrationException()
        : this(Core.Rules.RuleIds.MigrationFailed, "The migration run failed.")
    {
    }

    public SafeMigrationException(string message)
        : this(Core.Rules.RuleIds.MigrationFailed, message)
    {
    }

    public SafeMigrationException(string message, Exception innerException)
        : this(Core.Rules.RuleIds.MigrationFailed, message, null, innerException)
    {
    }

    public string RuleId { get; }

    /// <summary>The migration that failed, when one did.</summary>
    public string? MigrationId { get; }

    /// <summary>The statement that failed, when one did.</summary>
    public string? FailingStatement { get; init; }

    /// <summary>Whether the run's migrations were rolled back after the failure.</summary>
    public bool RolledBack { get; init; }
}
