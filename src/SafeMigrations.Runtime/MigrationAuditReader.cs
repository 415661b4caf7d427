using Npgsql;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Runtime;

/// <summary>One migration step of the audit trail, with its run; <see cref="Pauses"/> and <see cref="Paused"/>: the throttle's pauses in it.</summary>
public sealed record AuditEntry(
    Guid RunId, string Command, string AppliedBy, string Host, string ToolVersion, string MigrationId, string Direction, string Checksum,
    DateTimeOffset StartedAt, TimeSpan Duration, string Outcome, string? Error, string? FailingStatement, long Statements, long Retries, TimeSpan LockWait, long Pauses, TimeSpan Paused);

/// <summary>Reads the runner's audit trail, newest first (`safemig history`).</summary>
public static class MigrationAuditReader
{
    public static async Task<IReadOnlyList<AuditEntry>> ReadAsync(NpgsqlConnection connection, int limit = 50, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var result = new List<AuditEntry>();
        if (!await RunnerTables.ExistAsync(connection, AuditSql.Exists, cancellationToken).ConfigureAwait(false))
        {
            return result;
        }

        var withPauses = await RunnerTables.ExistAsync(connection, AuditSql.PausesExist, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(AuditSql.History(withPauses), connection);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new AuditEntry(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8), TimeSpan.FromMilliseconds(reader.GetDouble(9)), reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12),
                reader.GetInt64(13), reader.GetInt64(14), TimeSpan.FromMilliseconds(reader.GetDouble(15)), reader.GetInt64(16), TimeSpan.FromMilliseconds(reader.GetDouble(17))));
        }

        return result;
    }
}
