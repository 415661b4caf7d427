using Microsoft.EntityFrameworkCore;

namespace SafemigWebApi.Data;

public class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Note>().Property(n => n.CreatedAt).HasDefaultValueSql("now()");
    }
}
