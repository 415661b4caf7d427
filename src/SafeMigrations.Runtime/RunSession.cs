using Npgsql;

namespace SafeMigrations.Runtime;

/// <summary>One run's working set: the context's migrations, the statement executor, the audit trail, the migration session.</summary>
internal sealed record RunSession(EfMigrations Migrations, StepExecutor Executor, AuditTrail Audit, NpgsqlConnection Connection);

/// <summary>The runner's plain commands on a connection (its bookkeeping, never the migrations' own SQL).</summary>
internal static class DatabaseCommands
{
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
