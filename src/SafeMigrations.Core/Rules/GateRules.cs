namespace SafeMigrations.Core.Rules;

/// <summary>
/// SM3001–SM3007: the build gate's checks. They need what only the design host knows (the model EF
/// really builds, every migration of the assembly, the lock file), so the analyzers never report them.
/// </summary>
public static class GateRules
{
    public static readonly RuleDescriptor UncapturedModelChanges = new(
        RuleIds.UncapturedModelChanges, "Capture every model change in a migration", Severity.Error, RuleCategory.Compatibility,
        "Run `dotnet safemig migrations add <Name>` (the safe form) or `dotnet ef migrations add <Name>`, review the migration and commit it with the model change.");

    public static readonly RuleDescriptor NonLinearHistory = new(
        RuleIds.NonLinearMigrationHistory, "Keep the migration history linear", Severity.Error, RuleCategory.Compatibility,
        "Re-create the migration that sorts before one already recorded so it comes last (remove it and add it again), then build to record it.");

    public static readonly RuleDescriptor RecordedMigrationEdited = new(
        RuleIds.RecordedMigrationEdited, "Do not edit a recorded migration", Severity.Error, RuleCategory.Compatibility,
        "Put the change in a new migration. Only a migration never applied anywhere may be re-recorded (`dotnet safemig lock update`).");

    public static readonly RuleDescriptor DesignHostFailed = new(
        RuleIds.DesignHostFailed, "The build gate must be able to load the model", Severity.Error, RuleCategory.Configuration,
        "Follow the fix the message gives (add Microsoft.EntityFrameworkCore.Design, a design-time factory, a startup project, …).");

    public static readonly RuleDescriptor PreviousReleaseBroken = new(
        RuleIds.PreviousReleaseBroken, "Keep the schema usable by the previous release", Severity.Error, RuleCategory.Compatibility,
        "Expand first (add, keep the old shape working), ship, then contract in a later migration marked [ContractMigration].");

    public static readonly RuleDescriptor ModelSnapshotLostTables = new(
        RuleIds.ModelSnapshotLostTables, "Keep the ModelSnapshot in step with the migrations", Severity.Error, RuleCategory.DataLoss,
        "Restore the ModelSnapshot from version control (git checkout -- <snapshot file>), then build: never scaffold a migration from a snapshot that lost tables.");

    public static readonly RuleDescriptor BackfillTargetMissing = new(
        RuleIds.BackfillTargetMissing, "Backfill a table, key and columns the model has", Severity.Error, RuleCategory.Transactions,
        "Name the table, the key column and the SET columns as the database names them (EF's column names, quoted as written); leave the key empty to walk the table's primary key.");
}
