using Npgsql;

namespace SafeMigrations.Runtime;

/// <summary>Whether the runner's own tables exist yet: readers of the audit trail and the backups find nothing before a first run.</summary>
internal static class RunnerTables
{
    /// <param name="existsSql">Core's check for the table (AuditSql.Exists, BackupSql.Exists).</param>
    public static async Task<bool> ExistAsync(NpgsqlConnection connection, string existsSql, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand(existsSql, connection);
        return await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }
}
