using Microsoft.EntityFrameworkCore;

namespace SafeMigrations.Runtime.Fixture;

/// <summary>
/// The shop's contexts: each has its own set of migrations (the [DbContext] attribute binds them), so tests
/// can play the releases of one app, an edited migration or a late-merged one against the same database.
/// </summary>
public abstract class ShopContext(string connectionString) : DbContext
{
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.UseNpgsql(connectionString);
}

/// <summary>Release 1: customers and orders, an email index built concurrently, a tier column.</summary>
public sealed class ShopV1(string connectionString) : ShopContext(connectionString);

/// <summary>Release 1's migrations with the tier migration edited after it was applied.</summary>
public sealed class ShopEdited(string connectionString) : ShopContext(connectionString);

/// <summary>Release 1 plus a migration merged late whose id sorts in the middle.</summary>
public sealed class ShopLateMerge(string connectionString) : ShopContext(connectionString);

/// <summary>Release 2: release 1, then a required email (expand: backfill; contract: NOT NULL) and a dropped column.</summary>
public sealed class ShopV2(string connectionString) : ShopContext(connectionString);

/// <summary>Release 1 plus a migration that fails half-way (a statement that divides by zero).</summary>
public sealed class ShopBroken(string connectionString) : ShopContext(connectionString);

/// <summary>Release 1 plus a unique index on name, which duplicates in the data forbid.</summary>
public sealed class ShopUniqueName(string connectionString) : ShopContext(connectionString);

/// <summary>Release 1 plus a migration that holds ACCESS EXCLUSIVE on customers for seconds (for the watchdog).</summary>
public sealed class ShopSlow(string connectionString) : ShopContext(connectionString);

/// <summary>Release 1 plus a code column filled by a batched backfill in a migration of its own.</summary>
public sealed class ShopBackfill(string connectionString) : ShopContext(connectionString);

/// <summary>Release 1 plus a migration whose Up throws while EF builds its operations.</summary>
public sealed class ShopThrowing(string connectionString) : ShopContext(connectionString);

/// <summary>A migration that drops personal data and declines the runner's backup of it.</summary>
public sealed class ShopErase(string connectionString) : ShopContext(connectionString);

public static class ShopContexts
{
    public static ShopContext Create(string name, string connectionString) => name switch
    {
        nameof(ShopV1) => new ShopV1(connectionString),
        nameof(ShopEdited) => new ShopEdited(connectionString),
        nameof(ShopLateMerge) => new ShopLateMerge(connectionString),
        nameof(ShopV2) => new ShopV2(connectionString),
        nameof(ShopBroken) => new ShopBroken(connectionString),
        nameof(ShopUniqueName) => new ShopUniqueName(connectionString),
        nameof(ShopSlow) => new ShopSlow(connectionString),
        nameof(ShopBackfill) => new ShopBackfill(connectionString),
        nameof(ShopThrowing) => new ShopThrowing(connectionString),
        nameof(ShopErase) => new ShopErase(connectionString),
        _ => throw new ArgumentException("unknown context " + name, nameof(name)),
    };
}
