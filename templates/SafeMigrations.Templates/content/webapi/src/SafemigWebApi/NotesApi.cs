using Microsoft.EntityFrameworkCore;
using SafemigWebApi.Data;

namespace SafemigWebApi;

/// <summary>The application: its services (EF Core on PostgreSQL, migrations applied safely at startup) and endpoints.</summary>
public static class NotesApi
{
    public static WebApplication Build(WebApplicationBuilder builder, string connectionString)
    {
        builder.Services.AddDbContext<AppDbContext>(options => options.UseNpgsql(connectionString));

        // Migrations run before the app serves: one instance at a time under an advisory lock, with lock
        // timeouts and retries, an audit trail (schema safemigrations) and backups of dropped columns.
        builder.Services.AddSafeMigrations<AppDbContext>();

        var app = builder.Build();
        app.MapGet("/notes", async (AppDbContext db, CancellationToken cancellationToken) =>
            await db.Notes.OrderBy(n => n.Id).Take(100).ToListAsync(cancellationToken));
        app.MapPost("/notes", async (NewNote note, AppDbContext db, CancellationToken cancellationToken) =>
        {
            var added = db.Notes.Add(new Note { Title = note.Title }).Entity;
            await db.SaveChangesAsync(cancellationToken);
            return Results.Created($"/notes/{added.Id}", added);
        });
        return app;
    }

    public sealed record NewNote(string Title);
}
