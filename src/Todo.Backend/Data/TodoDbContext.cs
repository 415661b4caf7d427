using Microsoft.EntityFrameworkCore;
using Todo.Backend.Models;

namespace Todo.Backend.Data;

public class TodoDbContext(DbContextOptions<TodoDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    public DbSet<TodoItem> TodoItems => Set<TodoItem>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(user =>
        {
            user.Property(u => u.CreatedAt).HasDefaultValueSql("now()");
        });

        modelBuilder.Entity<TodoItem>(task =>
        {
            task.HasOne(t => t.Owner)
                .WithMany(u => u.Tasks)
                .HasForeignKey(t => t.OwnerId)
                .OnDelete(DeleteBehavior.Cascade);
            // Built concurrently: todo_items is written constantly, and a plain CREATE INDEX blocks writes.
            task.HasIndex(t => t.DueDate).IsCreatedConcurrently();
            // 0 is no priority: an unset value leaves the column to its default.
            task.Property(t => t.Priority).HasDefaultValue(TodoPriority.Medium).HasSentinel(default(TodoPriority));
            task.Property(t => t.CreatedAt).HasDefaultValueSql("now()");
            task.Property(t => t.UpdatedAt).HasDefaultValueSql("now()");
        });
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampUpdatedAt();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampUpdatedAt();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void StampUpdatedAt()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var entry in ChangeTracker.Entries<TodoItem>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.UpdatedAt = now;
            }
        }
    }
}
