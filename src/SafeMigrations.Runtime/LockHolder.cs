namespace SafeMigrations.Runtime;

/// <summary>The session that holds the runners' advisory lock, as pg_stat_activity shows it.</summary>
public sealed record LockHolder(int ProcessId, string ApplicationName, string ClientAddress, DateTimeOffset Since, string Query)
{
    public override string ToString() =>
        $"backend pid {ProcessId} ({(ApplicationName.Length == 0 ? "no application name" : ApplicationName)}, from {ClientAddress}, connected since {Since:u})";
}
