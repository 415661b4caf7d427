using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SafeMigrations.EmbeddedPostgres;
using Todo.Backend;

// Usage:
//   dotnet run --project src/Todo.Backend            serve until Ctrl+C
//   dotnet run --project src/Todo.Backend -- demo    migrate, seed, listen, show one request, exit
// The database is ConnectionStrings:Todo (appsettings, or ConnectionStrings__Todo in the environment);
// without one, a throwaway local PostgreSQL cluster is started and deleted on exit.
var demo = args.Contains("demo", StringComparer.OrdinalIgnoreCase);
var hostArgs = args.Where(a => !a.Equals("demo", StringComparison.OrdinalIgnoreCase)).ToArray();
var configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables()
    .AddCommandLine(hostArgs)
    .Build();

PostgresServer? server = null;
var connectionString = configuration.GetConnectionString(TodoApplication.ConnectionStringName);
try
{
    string databaseDescription;
    if (string.IsNullOrWhiteSpace(connectionString))
    {
        server = await PostgresServer.StartAsync();
        connectionString = await server.CreateDatabaseAsync("todo");
        databaseDescription = (server.IsEmbedded ? "throwaway embedded PostgreSQL at " : "PostgreSQL at ") + ConnectionStrings.Describe(connectionString);
    }
    else
    {
        databaseDescription = "PostgreSQL at " + ConnectionStrings.Describe(connectionString);
    }

    var app = TodoApplication.Build(hostArgs, connectionString, builder =>
    {
        if (demo)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
    });
    var adminPassword = configuration["Seed:AdminPassword"] is { Length: > 0 } configured ? configured : "changethis";
    var prepared = await TodoApplication.PrepareDatabaseAsync(app.Services, adminPassword);

    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    Console.WriteLine("SafeMigrations Todo backend");
    Console.WriteLine($"  database    {databaseDescription}");
    Console.WriteLine($"  migrations  {prepared.AppliedMigrations.Count} applied{(prepared.AppliedMigrations.Count > 0 ? ": " + string.Join(", ", prepared.AppliedMigrations) : " (up to date)")}");
    Console.WriteLine($"  seed        {prepared.Seed.UsersAdded} user(s), {prepared.Seed.TasksAdded} task(s) added");
    Console.WriteLine($"  listening   {address}");

    if (demo)
    {
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.GetAsync(new Uri("/api/tasks?limit=3", UriKind.Relative));
        Console.WriteLine();
        Console.WriteLine($"GET {address}/api/tasks?limit=3 -> {(int)response.StatusCode} {response.ReasonPhrase}");
        Console.WriteLine(await response.Content.ReadAsStringAsync());
        await app.StopAsync();
        return response.IsSuccessStatusCode ? 0 : 1;
    }

    Console.WriteLine("  Press Ctrl+C to stop.");
    await app.WaitForShutdownAsync();
    return 0;
}
catch (Npgsql.NpgsqlException ex)
{
    // One line with the cause and the fix; the connection string's password is never printed.
    Console.Error.WriteLine($"error: cannot use PostgreSQL at {ConnectionStrings.Describe(connectionString ?? string.Empty)}: {ex.Message} "
        + "Fix: correct ConnectionStrings:Todo (appsettings.json or the ConnectionStrings__Todo variable), or leave it empty to use a throwaway local PostgreSQL.");
    return 2;
}
catch (Exception ex) when (ex is PostgresNotInstalledException or EmbeddedPostgresException or InvalidOperationException or ArgumentException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}
finally
{
    if (server is not null)
    {
        await server.DisposeAsync();
    }
}
