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

    internal static readonly Counter<long> MigrationsApplied = Meter.CreateCounter<long>("safemigrations.migrations", description: "Migrations applied or reverted.");

    internal static readonly Counter<long> RowsBackfilled = Meter.CreateCounter<long>("safemigrations.backfill.rows", description: "Rows updated by batched backfills.");
}
