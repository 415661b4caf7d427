using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Postgres;

/// <summary>The table lock each change takes on the table it acts on (PostgreSQL 12+): every rule asks here.</summary>
public static class LockCatalog
{
    public static LockLevel LockFor(SchemaChange operation) => operation switch
    {
        CreateIndexChange index => index.Concurrently ? LockLevel.ShareUpdateExclusive : LockLevel.Share,
        DropIndexChange index => index.Concurrently ? LockLevel.ShareUpdateExclusive : LockLevel.AccessExclusive,
        // ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE on the index alone (PostgreSQL 12+): nothing on its table (observed).
        RenameIndexChange => LockLevel.None,
        AddForeignKeyChange => LockLevel.ShareRowExclusive,
        ValidateConstraintChange => LockLevel.ShareUpdateExclusive,
        // Checking a domain's constraint holds SHARE on every table that uses the domain; a new domain locks none.
        DomainConstraintChange domain => domain.IsNewDomain ? LockLevel.None : LockLevel.Share,
        DataChange => LockLevel.RowExclusive,
        MaintenanceChange maintenance => maintenance.Kind switch
        {
            MaintenanceKind.Reindex when maintenance.Concurrently => LockLevel.ShareUpdateExclusive,
            MaintenanceKind.Reindex => LockLevel.Share,
            MaintenanceKind.DetachPartition when maintenance.Concurrently => LockLevel.ShareUpdateExclusive,
            _ => LockLevel.AccessExclusive,
        },
        TableCommandChange command => command.Kind switch
        {
            TableCommandKind.LockTable => command.RequestedLock,
            // CONCURRENTLY lets reads go on (EXCLUSIVE); without it the view cannot even be read (ACCESS EXCLUSIVE).
            TableCommandKind.RefreshMaterializedView => command.Concurrently ? LockLevel.Exclusive : LockLevel.AccessExclusive,
            TableCommandKind.Settings or TableCommandKind.AttachPartition or TableCommandKind.Comment => LockLevel.ShareUpdateExclusive,
            TableCommandKind.Trigger => LockLevel.ShareRowExclusive,
            // SET DEFAULT and the other catalog-only actions: ACCESS EXCLUSIVE, held for a moment.
            _ => LockLevel.AccessExclusive,
        },
        // A view reads the tables it selects from while it is created: ACCESS SHARE on them (observed).
        CreateViewChange => LockLevel.AccessShare,
        SessionSettingChange or TransactionControlChange or OtherStatementChange
            or SequenceChange or ExtensionChange or SchemaNamespaceChange or EnumTypeChange => LockLevel.None,
        // Every other ALTER TABLE form, CREATE/DROP/RENAME TABLE: ACCESS EXCLUSIVE.
        _ => LockLevel.AccessExclusive,
    };

    /// <summary>
    /// Whether the statement works through the table's rows (a concurrent index build or drop, a validation, a data
    /// change, a concurrent REINDEX or DETACH) while its lock blocks neither reads nor writes: the runner gives it
    /// long budgets. A comment takes SHARE UPDATE EXCLUSIVE too, for a moment.
    /// </summary>
    public static bool RunsBesideTheApplication(SchemaChange operation) =>
        LockFor(operation) is LockLevel.RowExclusive or LockLevel.ShareUpdateExclusive && operation is not TableCommandChange { Kind: TableCommandKind.Comment };
}
