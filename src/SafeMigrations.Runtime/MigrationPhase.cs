namespace SafeMigrations.Runtime;

/// <summary>
/// Rolling deploys in two phases: expand migrations (additive; the previous release keeps working) run
/// before the new release rolls out, contract migrations (drops, renames, tightening) after every instance
/// runs it. A migration is contract when it is marked [ContractMigration] or when its operations drop or
/// rename a table or column or make a column required.
/// </summary>
public enum MigrationPhase
{
    Expand,
    Contract,
}
