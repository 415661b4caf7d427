using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SafeMigrations.EmbeddedPostgres;
using SafemigWebApi.Data;

[assembly: Parallelize(Scope = ExecutionScope.MethodLevel)]

namespace SafemigWebApi.Tests;

/// <summary>
/// The migrations against a real PostgreSQL: the server named by SAFEMIGRATIONS_CONNECTION_STRING, or a
/// throwaway local one (PostgreSQL's server binaries must be installed).
/// </summary>
[TestClass]
public sealed class MigrationTests
{
    [TestMethod]
    public async Task Migrations_apply_at_startup_the_api_serves_and_every_migration_rolls_back()
    {
        await using var server = await PostgresServer.StartAsync();
        var connectionString = await server.CreateDatabaseAsync("safemigwebapi_tests");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = NotesApi.Build(builder, connectionString);

        await app.StartAsync(); // the SafeMigrations runner applies the migrations before the app serves
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var created = await http.PostAsJsonAsync("/notes", new { title = "first note" });
        Assert.AreEqual(HttpStatusCode.Created, created.StatusCode);
        var notes = await http.GetFromJsonAsync<List<Note>>("/notes");
        Assert.AreEqual("first note", notes!.Single().Title);
        await app.StopAsync();

        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.IsEmpty(await db.Database.GetPendingMigrationsAsync());
        Assert.IsFalse(db.Database.HasPendingModelChanges(), "every model change has its migration");

        await db.Database.SafeRollbackAsync("0", force: true);
        Assert.IsEmpty(await db.Database.GetAppliedMigrationsAsync());
        await db.Database.SafeMigrateAsync();
        Assert.IsEmpty(await db.Database.GetPendingMigrationsAsync(), "and apply again");
    }
}
