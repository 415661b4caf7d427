using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SafeMigrations.Runtime;

/// <summary>
/// OpenTelemetry-ready instruments: add the source and the meter by <see cref="Name"/>
/// (AddSource("SafeMigrations.Runtime"), AddMeter("SafeMigrations.Runtime")). One span per run, migration
/// and statement; metrics for durations, lock waits, retries and rows backfilled.
/// </summary>
public static class SafeMigrationsTelemetry
{
    public const string Name = "SafeMigrations.Runtime";

    public static readonly ActivitySource Source = new(Name, typeof(SafeMigrationsTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(Name, typeof(SafeMigrationsTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Histogram<double> StatementDuration = Meter.CreateHistogram<double>("safemigrations.statement.duration", "ms", "Time a migration statement ran, retries included.");

    internal static readonly Histogram<double> MigrationDuration = Meter.CreateHistogram<double>("safemigrations.migration.duration", "ms", "Time a migration took.");

    internal static readonly Histogram<double> LockWait = Meter.CreateHistogram<double>("safemigrations.lock.wait", "ms", "Time a statement waited for a table lock.");

    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>("safemigrations.retries", description: "Steps retried after a lock timeout, deadlock or watchdog cancel.");

    internal static readonly Counter<long> MigrationsApplied = Meter.CreateCounter<long>("safemigrations.migrations", description: "Migrations applied or reverted (outcome: applied), or that failed (outcome: failed); direction: up or down.");

    internal static readonly Counter<long> Runs = Meter.CreateCounter<long>("safemigrations.runs", description: "Runs of the runner that ended, by outcome: succeeded, failed or cancelled.");

    internal static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>("safemigrations.run.duration", "ms", "Time a run held the migration lock, by outcome.");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, long> LockHolders = new();

    /// <summary>How long the oldest run of this process has held the migration lock, in seconds; 0 when none does. Alert when it grows.</summary>
    internal static readonly ObservableGauge<double> LockHeld = Meter.CreateObservableGauge(
        "safemigrations.lock.held", () => LockHolders.IsEmpty ? 0 : Stopwatch.GetElapsedTime(LockHolders.Values.Min()).TotalSeconds, "s", "How long the running migration run has held the advisory lock (0: no run).");

    /// <summary>A run took the migration lock: <see cref="LockHeld"/> counts from now until the returned handle is disposed.</summary>
    internal static IDisposable HoldingLock()
    {
        var run = Guid.NewGuid();
        LockHolders[run] = Stopwatch.GetTimestamp();
        return new Release(() => LockHolders.TryRemove(run, out _));
    }

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }

    internal static readonly Counter<long> Pauses = Meter.CreateCounter<long>("safemigrations.throttle.pauses", description: "Times background work (a backfill, a concurrent build) paused because the application was suffering.");

    internal static readonly Histogram<double> PauseDuration = Meter.CreateHistogram<double>("safemigrations.throttle.pause.duration", "ms", "How long background work stayed paused.");

    internal static readonly Counter<long> RowsBackfilled = Meter.CreateCounter<long>("safemigrations.backfill.rows", description: "Rows updated by batched backfills.");
}
