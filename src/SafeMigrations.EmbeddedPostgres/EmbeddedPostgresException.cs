namespace SafeMigrations.EmbeddedPostgres;

/// <summary>A throwaway cluster could not be created or started; the message carries the server's own words.</summary>
public sealed class EmbeddedPostgresException : InvalidOperationException
{
    public EmbeddedPostgresException(string message) : base(message) { }

    public EmbeddedPostgresException(string message, Exception innerException) : base(message, innerException) { }
}
