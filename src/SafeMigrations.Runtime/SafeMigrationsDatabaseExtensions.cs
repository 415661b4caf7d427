using Microsoft.EntityFrameworkCore.Infrastructure;

using SafeMigrations.Runtime;

namespace Microsoft.EntityFrameworkCore;

/// <summary><c>await db.Database.SafeMigrateAsync()</c>: Migrate() with the runner's safety.</summary>
public static class SafeMigrationsDatabaseExtensions
{
    /// <summary>Applies the pending migrations safely (see <see cref="SafeMigrator"/>); throws <see cref="SafeMigrationException"/> with the cause and the fix.</summary>
    public static Task<MigrationRunResult> SafeMigrateAsync(this DatabaseFacade database, SafeMigrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new SafeMigrator(database.GetService<ICurrentDbContext>().Context, options).MigrateAsync(cancellationToken);
    }

    /// <summary>Reverts the migrations after <paramref name="target"/> ("0": all) with their Down.</summary>
    public static Task<MigrationRunResult> SafeRollbackAsync(this DatabaseFacade database, string target, bool force = false, SafeMigrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new SafeMigrator(database.GetService<ICurrentDbContext>().Context, (options ?? new SafeMigrationOptions()) with { Command = "rollback" })
            .RollbackAsync(target, force, cancellationToken);
    }
}
