namespace SafeMigrations.Runtime;

/// <summary>A session in a migration's way, as pg_stat_activity showed it while the migration waited.</summary>
public sealed record BlockingSession(int ProcessId, string ApplicationName, string ClientAddress, DateTimeOffset? TransactionStart, string State, string Query)
{
    public string Describe()
    {
        var query = Query.ReplaceLineEndings(" ").Trim();
        if (query.Length > 160)
        {
            query = query[..160] + " …";
        }

        var since = TransactionStart is { } start ? $", in a transaction since {start:u} ({(DateTimeOffset.UtcNow - start).TotalSeconds:0} s)" : string.Empty;
        return $"backend pid {ProcessId} ({(ApplicationName.Length == 0 ? "no application name" : ApplicationName)}, from {ClientAddress}{since}, {State}), last query: {query}";
    }

    public override string ToString() => Describe();
}
