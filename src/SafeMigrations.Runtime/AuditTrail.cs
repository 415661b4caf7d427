using Npgsql;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Runtime;

/// <summary>One statement as the audit trail records it.</summary>
internal sealed record StatementRecord(int Ordinal, string Sql, bool InTransaction, DateTimeOffset Started, TimeSpan Duration, TimeSpan LockWait, int Retries, string Outcome, string? Error);

/// <summary>
/// The runner's audit trail (tables in the schema safemigrations), written on the lock's own session in
/// autocommit: a migration whose transaction rolls back still leaves its record of what failed.
/// </summary>
internal sealed class AuditTrail(NpgsqlConnection connection, Guid runId)
{
    public Guid RunId { get; } = runId;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(AuditSql.Create, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StartRunAsync(SafeMigrationOptions options, string? target, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(AuditSql.StartRun, connection);
        command.Parameters.AddWithValue("run", RunId);
        command.Parameters.AddWithValue("command", options.Command);
        command.Parameters.AddWithValue("target", (object?)target ?? DBNull.Value);
        command.Parameters.AddWithValue("phase", (object?)options.Phase?.ToString().ToLowerInvariant() ?? DBNull.Value);
        command.Parameters.AddWithValue("by", options.AppliedBy);
        command.Parameters.AddWithValue("host", Environment.MachineName);
        command.Parameters.AddWithValue("version", typeof(AuditTrail).Assembly.GetName().Version?.ToString() ?? "0");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task FinishRunAsync(string outcome, string? error)
    {
        // Not cancellable: a cancelled run still says how it ended.
        await using var command = new NpgsqlCommand(AuditSql.FinishRun, connection);
        command.Parameters.AddWithValue("run", RunId);
        command.Parameters.AddWithValue("outcome", outcome);
        command.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>A pause of background work (ThrottleLimits), on the lock's session (autocommit): nothing else runs on it between batches.</summary>
    public async Task RecordPauseAsync(string migrationId, DateTimeOffset started, TimeSpan duration, string reason, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(AuditSql.RecordPause, connection);
        command.Parameters.AddWithValue("run", RunId);
        command.Parameters.AddWithValue("migration", migrationId);
        command.Parameters.AddWithValue("started", started);
        command.Parameters.AddWithValue("duration", duration.TotalMilliseconds);
        command.Parameters.AddWithValue("reason", reason);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The migration's row and its statements, in one round trip, on the lock's session (autocommit).</summary>
    public Task RecordMigrationAsync(
        string migrationId, MigrationDirection direction, string checksum, DateTimeOffset started, TimeSpan duration,
        string outcome, string? error, string? failingStatement, IReadOnlyList<StatementRecord> statements) =>
        RecordMigrationAsync(connection, null, migrationId, direction, checksum, started, duration, outcome, error, failingStatement, statements);

    /// <summary>
    /// The same, in a transaction of the migration's own session: an applied migration's audit rows commit with
    /// its last step (one commit, and never an applied migration without its record).
    /// </summary>
    public async Task RecordMigrationAsync(
        NpgsqlConnection session, NpgsqlTransaction? transaction, string migrationId, MigrationDirection direction, string checksum, DateTimeOffset started, TimeSpan duration,
        string outcome, string? error, string? failingStatement, IReadOnlyList<StatementRecord> statements)
    {
        var directionText = direction == MigrationDirection.Up ? "up" : "down";
        await using var batch = new NpgsqlBatch(session, transaction);
        var migration = new NpgsqlBatchCommand(AuditSql.RecordMigration);
        migration.Parameters.AddWithValue("run", RunId);
        migration.Parameters.AddWithValue("migration", migrationId);
        migration.Parameters.AddWithValue("direction", directionText);
        migration.Parameters.AddWithValue("checksum", checksum);
        migration.Parameters.AddWithValue("product", EfMigrations.ProductVersion);
        migration.Parameters.AddWithValue("started", started);
        migration.Parameters.AddWithValue("duration", duration.TotalMilliseconds);
        migration.Parameters.AddWithValue("outcome", outcome);
        migration.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
        migration.Parameters.AddWithValue("failing", (object?)failingStatement ?? DBNull.Value);
        batch.BatchCommands.Add(migration);
        foreach (var statement in statements)
        {
            var row = new NpgsqlBatchCommand(AuditSql.RecordStatement);
            row.Parameters.AddWithValue("run", RunId);
            row.Parameters.AddWithValue("migration", migrationId);
            row.Parameters.AddWithValue("direction", directionText);
            row.Parameters.AddWithValue("ordinal", statement.Ordinal);
            row.Parameters.AddWithValue("sql", statement.Sql);
            row.Parameters.AddWithValue("tx", statement.InTransaction);
            row.Parameters.AddWithValue("started", statement.Started);
            row.Parameters.AddWithValue("duration", statement.Duration.TotalMilliseconds);
            row.Parameters.AddWithValue("wait", statement.LockWait.TotalMilliseconds);
            row.Parameters.AddWithValue("retries", statement.Retries);
            row.Parameters.AddWithValue("outcome", statement.Outcome);
            row.Parameters.AddWithValue("error", (object?)statement.Error ?? DBNull.Value);
            batch.BatchCommands.Add(row);
        }

        await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Checksum and EF version each applied migration was recorded with.</summary>
    public async Task<IReadOnlyDictionary<string, (string Checksum, string ProductVersion)>> AppliedChecksumsAsync(CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(AuditSql.AppliedChecksums, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
        }

        return result;
    }
}
