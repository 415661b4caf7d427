using SafeMigrations.EmbeddedPostgres;

namespace SafeMigrations.Testing;

/// <summary>
/// One PostgreSQL server per test process: the one in SAFEMIGRATIONS_CONNECTION_STRING, or a throwaway
/// embedded cluster started on first use. Call <see cref="StopAsync"/> from [AssemblyCleanup];
/// process exit stops it as well.
/// </summary>
public static class SharedPostgres
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? server;

    public static async Task<PostgresServer> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return server ??= await PostgresServer.StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Creates an empty database for one test class and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string owner) =>
        await (await GetAsync()).CreateDatabaseAsync(owner);

    /// <summary>Creates a database as a copy of the template database <paramref name="template"/> and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string owner, string template) =>
        await (await GetAsync()).CreateDatabaseAsync(owner, template);

    public static async Task DropDatabaseAsync(string connectionString) =>
        await (await GetAsync()).DropDatabaseAsync(connectionString);

    public static async Task StopAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (server is not null)
            {
                await server.DisposeAsync();
                server = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
