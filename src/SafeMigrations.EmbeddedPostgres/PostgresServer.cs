using System.Collections.Concurrent;
using Npgsql;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.EmbeddedPostgres;

/// <summary>
/// A PostgreSQL server to create databases on: the one named by
/// <see cref="ConnectionStringVariable"/> when set, otherwise a throwaway embedded cluster.
/// Databases it creates are dropped on dispose; an embedded cluster is deleted whole.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Environment variable with a connection string to an existing server (a superuser, or a role with CREATEDB).</summary>
    public const string ConnectionStringVariable = "SAFEMIGRATIONS_CONNECTION_STRING";

    private readonly EmbeddedPostgresCluster? cluster;
    private readonly ConcurrentDictionary<string, byte> createdDatabases = new();

    private PostgresServer(string connectionString, EmbeddedPostgresCluster? cluster)
    {
        ConnectionString = connectionString;
        this.cluster = cluster;
    }

    /// <summary>Connection string of the maintenance database (contains the password: never print it).</summary>
    public string ConnectionString { get; }

    public bool IsEmbedded => cluster is not null;

    /// <summary>The embedded cluster, when this server is one.</summary>
    public EmbeddedPostgresCluster? Cluster => cluster;

    /// <summary>Where the server is, without credentials, for messages.</summary>
    public string Description => (IsEmbedded ? "embedded PostgreSQL at " : "PostgreSQL at ") + ConnectionStrings.Describe(ConnectionString);

    /// <summary>
    /// Uses <paramref name="connectionString"/>, else the environment variable, else starts an embedded cluster.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(string? connectionString = null, EmbeddedPostgresOptions? options = null, CancellationToken cancellationToken = default)
    {
        connectionString ??= Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            await VerifyReachableAsync(connectionString, cancellationToken);
            return new PostgresServer(connectionString, cluster: null);
        }

        var embedded = await EmbeddedPostgresCluster.StartAsync(options, cancellationToken);
        return new PostgresServer(embedded.ConnectionString, embedded);
    }

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string namePrefix = "db", CancellationToken cancellationToken = default) =>
        CreateDatabaseAsync(namePrefix, template: null, cancellationToken);

    /// <summary>
    /// Creates a database with a unique name as a copy of <paramref name="template"/> (a database of this
    /// server nobody is connected to), or empty when it is null, and returns its connection string.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string namePrefix, string? template, CancellationToken cancellationToken = default)
    {
        var name = DatabaseNames.Unique(namePrefix);
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            var copy = template is null ? string.Empty : " TEMPLATE " + PostgresIdentifiers.Quote(template);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {PostgresIdentifiers.Quote(name)}{copy}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        createdDatabases.TryAdd(name, 0);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database created by <see cref="CreateDatabaseAsync"/>, disconnecting its sessions.</summary>
    public async Task DropDatabaseAsync(string databaseConnectionString, CancellationToken cancellationToken = default)
    {
        var name = new NpgsqlConnectionStringBuilder(databaseConnectionString).Database
            ?? throw new ArgumentException("The connection string names no database.", nameof(databaseConnectionString));
        await using (var database = new NpgsqlConnection(databaseConnectionString))
        {
            NpgsqlConnection.ClearPool(database);
        }

        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {PostgresIdentifiers.Quote(name)} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        createdDatabases.TryRemove(name, out _);
    }

    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
            return;
        }

        foreach (var name in createdDatabases.Keys)
        {
            await DropDatabaseAsync(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString);
        }
    }

    private static async Task VerifyReachableAsync(string connectionString, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"The connection string in {ConnectionStringVariable} is malformed ({ex.Message}). Fix: use the form 'Host=...;Port=5432;Username=...;Password=...'.", ex);
        }

        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"Cannot connect to {ConnectionStrings.Describe(builder.ConnectionString)}: {ex.Message} Fix: start the server or correct the connection string (unset {ConnectionStringVariable} to use a throwaway local cluster).", ex);
        }
    }
}
