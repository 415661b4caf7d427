using Microsoft.EntityFrameworkCore;
using Todo.Backend.Models;

namespace Todo.Backend.Data;

/// <summary>
/// Idempotent seed data (the counterpart of a SQLModel app's seed.py): a first user and a few tasks,
/// each inserted only if its natural key (e-mail; owner + title) is not there yet.
/// </summary>
public sealed class TodoSeeder(TodoDbContext db)
{
    public const string AdminEmail = "admin@example.com";

    public static readonly IReadOnlyList<(string Title, string Description, TodoPriority Priority)> StarterTasks =
    [
        ("Read the SafeMigrations README", "Two commands: one runs the backend, one runs the tests.", TodoPriority.High),
        ("Rename a property safely", "Expand, backfill, switch reads, contract.", TodoPriority.Medium),
        ("Add an index without blocking writes", "CREATE INDEX CONCURRENTLY, alone in its migration.", TodoPriority.Low),
    ];

    public sealed record Result(int UsersAdded, int TasksAdded);

    public async Task<Result> SeedAsync(string adminPassword, CancellationToken cancellationToken = default)
    {
        // Two instances starting together must not both insert: serialize seeding on an advisory lock
        // held for the transaction.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('todo-backend-seed'))", cancellationToken);
        var usersAdded = 0;
        var admin = await db.Users.SingleOrDefaultAsync(u => u.Email == AdminEmail, cancellationToken);
        if (admin is null)
        {
            admin = new User { Email = AdminEmail, FullName = "Administrator", HashedPassword = PasswordHasher.Hash(adminPassword) };
            db.Users.Add(admin);
            await db.SaveChangesAsync(cancellationToken);
            usersAdded = 1;
        }

        var existingTitles = await db.TodoItems
            .Where(t => t.OwnerId == admin.Id)
            .Select(t => t.Title)
            .ToListAsync(cancellationToken);
        var missing = StarterTasks.Where(task => !existingTitles.Contains(task.Title)).ToList();
        foreach (var (title, description, priority) in missing)
        {
            db.TodoItems.Add(new TodoItem { Title = title, Description = description, Priority = priority, OwnerId = admin.Id });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Result(usersAdded, missing.Count);
    }
}
