using System.CommandLine;
using SafeMigrations.Core.Rules;
using SafeMigrations.EmbeddedPostgres;

namespace SafeMigrations.Cli;

/// <summary>
/// The database a command works on: --connection, else SAFEMIGRATIONS_CONNECTION_STRING, else (for the commands that
/// allow it) a throwaway embedded PostgreSQL with an empty database, removed when the command ends.
/// </summary>
internal sealed class DatabaseTarget : IAsyncDisposable
{
    private readonly PostgresServer? throwaway;

    private DatabaseTarget(string connectionString, PostgresServer? throwaway)
    {
        ConnectionString = connectionString;
        this.throwaway = throwaway;
    }

    public string ConnectionString { get; }

    /// <summary>The database is the throwaway embedded one: every migration is pending, and nothing it holds survives.</summary>
    public bool IsThrowaway => throwaway is not null;

    /// <summary>Where the database is, for a report's heading: host, port and database, never the password.</summary>
    public string Description => IsThrowaway
        ? "a throwaway embedded PostgreSQL with an empty database (every migration is pending): pass --connection to compare with yours"
        : ConnectionStrings.Describe(ConnectionString);

    /// <summary>The database given, or none: a command that needs one fails with the way to give it.</summary>
    /// <summary>The --connection option of one command, its help saying what that command does with the database and where it falls back.</summary>
    public static Option<string?> ConnectionOption(string purpose, bool throwawayWithout) => new(ConnectionOptionName)
    {
        Description = $"{purpose} (default: {PostgresServer.ConnectionStringVariable}{(throwawayWithout ? ", else a throwaway embedded PostgreSQL removed when safemig exits" : "; required when that is not set")}).",
    };

    /// <summary>The --connection value of whichever command was parsed.</summary>
    public static string? ConnectionOf(ParseResult parse) => parse.GetValue<string?>(ConnectionOptionName);

    private const string ConnectionOptionName = "--connection";

    public static DatabaseTarget Given(string command, string? connectionOption, Func<string, string?>? environment = null) =>
        Find(connectionOption, environment) is { } connection
            ? new DatabaseTarget(connection, throwaway: null)
            : throw new CliException($"{command} needs a database: pass --connection \"Host=…;Database=…;Username=…\" or set {PostgresServer.ConnectionStringVariable}.");

    /// <summary>The database given, else a throwaway embedded PostgreSQL started now.</summary>
    public static async Task<DatabaseTarget> GivenOrThrowawayAsync(string? connectionOption, Action<string> status, CancellationToken cancellationToken, Func<string, string?>? environment = null)
    {
        if (Find(connectionOption, environment) is { } connection)
        {
            return new DatabaseTarget(connection, throwaway: null);
        }

        PostgresServer? server = null;
        try
        {
            status("Starting a throwaway PostgreSQL …");
            server = await PostgresServer.StartAsync(cancellationToken: cancellationToken);
            return new DatabaseTarget(await server.CreateDatabaseAsync("safemig", cancellationToken), server);
        }
        catch (Exception e) when (e is PostgresNotInstalledException or EmbeddedPostgresException)
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            throw new CliException(e.Message + " Or pass --connection to use a PostgreSQL you run.");
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (throwaway is not null)
        {
            await throwaway.DisposeAsync();
        }
    }

    private static string? Find(string? connectionOption, Func<string, string?>? environment) =>
        new[] { connectionOption, (environment ?? Environment.GetEnvironmentVariable)(PostgresServer.ConnectionStringVariable) }.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c));
}
