using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SafemigWebApi.Data;

/// <summary>
/// Used by dotnet ef and the SafeMigrations build gate: scaffolding and checking need no database, so a
/// placeholder is used when ConnectionStrings__Default is not set.
/// </summary>
public sealed class AppDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AppDbContext>()
            .UseNpgsql(Environment.GetEnvironmentVariable("ConnectionStrings__Default") ?? "Host=localhost;Database=safemigwebapi_design_time")
            .Options);
}
