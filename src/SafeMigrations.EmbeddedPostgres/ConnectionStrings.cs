using Npgsql;

namespace SafeMigrations.EmbeddedPostgres;

/// <summary>Connection strings for people to read: never with the password.</summary>
public static class ConnectionStrings
{
    /// <summary>"host:port/database as user", or "(unparseable connection string)"; never the password.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            var database = string.IsNullOrEmpty(builder.Database) ? "(default database)" : builder.Database;
            var user = string.IsNullOrEmpty(builder.Username) ? string.Empty : $" as {builder.Username}";
            return $"{builder.Host}:{builder.Port}/{database}{user}";
        }
        catch (ArgumentException)
        {
            return "(unparseable connection string)";
        }
    }
}
