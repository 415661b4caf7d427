using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Todo.Backend.Data;

/// <summary>
/// Used by `dotnet ef` and SafeMigrations' design host. Scaffolding needs no database, so a
/// placeholder is used when no connection string is configured.
/// </summary>
public sealed class TodoDbContextFactory : IDesignTimeDbContextFactory<TodoDbContext>
{
    public TodoDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Todo")
            ?? "Host=localhost;Database=todo_design_time";
        var options = new DbContextOptionsBuilder<TodoDbContext>()
            .UseNpgsql(connectionString)
            .Options;
        return new TodoDbContext(options);
    }
}
