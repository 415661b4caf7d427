using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Postgres;

/// <summary>The table lock each operation takes on the table it acts on (PostgreSQL 12+).</summary>
public static class LockCatalog
{
    public static LockLevel LockFor(SchemaOperation operation) => operation switch
    {
        CreateIndexOperation index => index.Concurrently ? LockLevel.ShareUpdateExclusive : LockLevel.Share,
        DropIndexOperation index => index.Concurrently ? LockLevel.ShareUpdateExclusive : LockLevel.AccessExclusive,
        // ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE since PostgreSQL 12.
        RenameIndexOperation => LockLevel.ShareUpdateExclusive,
        AddForeignKeyOperation => LockLevel.ShareRowExclusive,
        ValidateConstraintOperation => LockLevel.ShareUpdateExclusive,
        DataChangeOperation => LockLevel.RowExclusive,
        MaintenanceOperation maintenance => maintenance.Kind switch
        {
            MaintenanceKind.Reindex when maintenance.Concurrently => LockLevel.ShareUpdateExclusive,
            MaintenanceKind.Reindex => LockLevel.Share,
            MaintenanceKind.DetachPartition when maintenance.Concurrently => LockLevel.ShareUpdateExclusive,
            _ => LockLevel.AccessExclusive,
        },
        SessionSettingOperation or TransactionControlOperation or OtherStatementOperation or CreateViewOperation
            or SequenceOperation or ExtensionOperation or SchemaNamespaceOperation or EnumTypeOperation => LockLevel.None,
        // Every other ALTER TABLE form, CREATE/DROP/RENAME TABLE: ACCESS EXCLUSIVE.
        _ => LockLevel.AccessExclusive,
    };
}
