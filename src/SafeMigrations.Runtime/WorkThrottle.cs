using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using SafeMigrations.Core.Rules;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Runtime;

/// <summary>
/// Holds the runner's background work back while the application suffers: before a backfill batch or a statement
/// outside a transaction, one sample of the load (<see cref="LoadSql.Sample"/>) on the migration's session; past a
/// limit it waits, sampling every <see cref="ThrottleLimits.CheckInterval"/>, until the load clears, and fails the
/// step after <see cref="ThrottleLimits.MaxPause"/>. Every pause goes to the progress, the log, the metrics and the
/// audit trail (safemigrations.pauses).
/// </summary>
internal sealed class WorkThrottle(NpgsqlConnection connection, SafeMigrationOptions options, AuditTrail? audit, ILogger logger)
{
    private readonly ThrottleLimits limits = options.Throttle ?? ThrottleLimits.Off;

    /// <summary>Waits while the load is over a limit; <paramref name="what"/> names the work ("backfill of Code").</summary>
    public async Task WaitWhileBusyAsync(string migrationId, string what, CancellationToken cancellationToken)
    {
        if (limits.IsOff || options.DryRun || await SampleAsync(cancellationToken).ConfigureAwait(false) is not { } reason)
        {
            return;
        }

        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        RunnerLog.Paused(logger, what, reason);
        SafeMigrationsTelemetry.Pauses.Add(1);
        options.Progress?.Report(new MigrationProgress(MigrationProgressKind.Paused, migrationId, 0, 0) { Detail = $"{what} paused: {reason}" });
        var first = reason;
        while (reason is not null)
        {
            if (clock.Elapsed >= limits.MaxPause)
            {
                await RecordAsync(migrationId, started, clock.Elapsed, first).ConfigureAwait(false);
                throw new SafeMigrationException(
                    RuleIds.MigrationFailed,
                    $"{what} stayed paused for {(clock.Elapsed.TotalSeconds < 90 ? $"{clock.Elapsed.TotalSeconds:0.#} s" : $"{clock.Elapsed.TotalMinutes:0.#} min")} because the application was suffering ({reason}). Nothing is lost: apply again once the load is gone, and a backfill resumes after its last batch. To wait longer, raise the limit: dotnet safemig apply --throttle max-pause=30m, or SafeMigrationOptions.Throttle.MaxPause.",
                    migrationId);
            }

            await Task.Delay(limits.CheckInterval, cancellationToken).ConfigureAwait(false);
            reason = await SampleAsync(cancellationToken).ConfigureAwait(false);
        }

        clock.Stop();
        SafeMigrationsTelemetry.PauseDuration.Record(clock.Elapsed.TotalMilliseconds);
        RunnerLog.Resumed(logger, what, clock.Elapsed.TotalMilliseconds);
        options.Progress?.Report(new MigrationProgress(MigrationProgressKind.Resumed, migrationId, 0, 0) { Detail = $"{what} resumed", Elapsed = clock.Elapsed });
        await RecordAsync(migrationId, started, clock.Elapsed, first).ConfigureAwait(false);
    }

    private async Task RecordAsync(string migrationId, DateTimeOffset started, TimeSpan duration, string reason)
    {
        if (audit is not null)
        {
            await audit.RecordPauseAsync(migrationId, started, duration, reason, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<string?> SampleAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(LoadSql.Sample, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return limits.Exceeded(new DatabaseLoad(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetDouble(2)));
    }
}
