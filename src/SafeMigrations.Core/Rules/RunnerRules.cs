namespace SafeMigrations.Core.Rules;

/// <summary>
/// SM4001–SM4010: what the runner reports while it applies migrations to a database. They describe what
/// happened on that database, so only the runner (the library, `safemig apply` and, on a shadow copy, `safemig verify`) reports them.
/// </summary>
public static class RunnerRules
{
    public static readonly RuleDescriptor LockTimeoutRetriesExhausted = new(
        RuleIds.LockTimeoutRetriesExhausted, "A migration could not get its lock within the retries", Severity.Error, RuleCategory.Locking,
        "End or shorten the session the message names (a long transaction, often idle in transaction), then run again; or raise the retries or the lock timeout for a quieter moment.");

    public static readonly RuleDescriptor IntegrityCheckFailed = new(
        RuleIds.IntegrityCheckFailed, "The data must satisfy the migration's constraints and the declared checks", Severity.Error, RuleCategory.DataLoss,
        "Fix the rows the message counts (backfill NULLs, remove duplicates, repair orphans) in a data migration before the constraint, or fix the check; the run's migrations were rolled back where possible.");

    public static readonly RuleDescriptor LiveSchemaDrift = new(
        RuleIds.LiveSchemaDrift, "The live schema must match the model", Severity.Error, RuleCategory.Compatibility,
        "Find who changed the database by hand (or which migration was skipped), then bring it back in line with a migration; `dotnet safemig drift` lists each difference.");

    public static readonly RuleDescriptor AppliedMigrationChanged = new(
        RuleIds.AppliedMigrationChanged, "Do not change a migration that is already applied", Severity.Error, RuleCategory.Compatibility,
        "Restore the applied migration as it was and put the change in a new migration. If only EF's SQL generation changed (an EF Core or provider upgrade), accept the new checksums with --accept-checksums.");

    public static readonly RuleDescriptor ObservedBlockingLock = new(
        RuleIds.ObservedBlockingLock, "On a copy of the data, no statement may rewrite a table or block its writes beyond a moment", Severity.Error, RuleCategory.Locking,
        "Use the safe form of the rule that covers the statement (dotnet safemig explain names it; dotnet safemig migrations add writes most), or move the statement into a migration of its own so its lock ends with it.");

    public static readonly RuleDescriptor RollbackChangedSchema = new(
        RuleIds.RollbackChangedSchema, "Down must give back the schema Up started from", Severity.Error, RuleCategory.Compatibility,
        "Make each Down undo exactly what its Up did (the finding lists every column, constraint and index that differs), then run dotnet safemig verify again.");

    public static readonly RuleDescriptor BlockedApplicationQueries = new(
        RuleIds.BlockedApplicationQueries, "A migration must not block the application's queries", Severity.Error, RuleCategory.Locking,
        "Run the step in a quieter moment, make it take a weaker lock (the rule pages of SM1xxx give the safe forms), or raise the watchdog's budget if the wait is acceptable.");

    public static readonly RuleDescriptor MigrationFailed = new(
        RuleIds.MigrationFailed, "A migration must run to its end", Severity.Error, RuleCategory.Transactions,
        "Fix the migration or the data the message names (the failing statement is in the audit trail), then run again: the open transaction was rolled back, and a migration whose steps committed resumes after them.");

    public static readonly RuleDescriptor RollbackRefused = new(
        RuleIds.RollbackRefused, "Roll back only what Down can give back", Severity.Error, RuleCategory.DataLoss,
        "Roll back to a later migration, or pass --force to run the Down anyway and put the dropped data back with dotnet safemig restore; a Down that throws cannot run at all: roll back to it or a later migration.");

    public static readonly RuleDescriptor NothingToRestore = new(
        RuleIds.NothingToRestore, "Restore needs a backup and the migration rolled back", Severity.Error, RuleCategory.DataLoss,
        "Roll the migration back first (dotnet safemig rollback), then restore; only migrations the runner applied have backups, kept for the backup retention (30 days by default).");
}
