using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Runtime;

/// <summary>
/// Applies and reverts an EF Core context's migrations on PostgreSQL, safely: one runner at a time under a
/// session advisory lock; EF's SQL and EF's history table (so dotnet ef and Migrate() agree with it); one
/// transaction per migration step; lock and statement timeouts with retries; a watchdog; an audit trail
/// with checksums; integrity checks with automatic rollback; resumption of a run that died half-way.
/// </summary>
public sealed class SafeMigrator
{
    private const string NpgsqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";
    private readonly DbContext context;
    private readonly SafeMigrationOptions options;
    private readonly ILogger logger;
    private readonly MigrationExecution execution;

    public SafeMigrator(DbContext context, SafeMigrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        this.context = context;
        this.options = options ?? new SafeMigrationOptions();
        logger = this.options.Logger ?? NullLogger.Instance;
        execution = new MigrationExecution(this.options, logger);
    }

    /// <summary>Applies the pending migrations (up to the target, within the phase).</summary>
    public Task<MigrationRunResult> MigrateAsync(CancellationToken cancellationToken = default) =>
        RunAsync(options.TargetMigration, (session, ct) => ApplyAsync(session, ct), cancellationToken);

    /// <summary>
    /// Reverts applied migrations after <paramref name="target"/> ("0" or null: all), newest first, with their
    /// Down. Refuses migrations whose Down cannot give back what Up took unless <paramref name="force"/>.
    /// </summary>
    public Task<MigrationRunResult> RollbackAsync(string? target, bool force = false, CancellationToken cancellationToken = default) =>
        RunAsync(target, (session, ct) => RevertAsync(session, target, force, ct), cancellationToken);

    private async Task<MigrationRunResult> RunAsync(string? target, Func<RunSession, CancellationToken, Task<MigrationRunResult>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await RunCoreAsync(target, body, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e) when (e.InnerException is NpgsqlException inner)
        {
            // EF's retrying execution strategy wraps a database it could not reach ("likely due to a transient
            // failure"); the runner retries what is worth retrying itself, so the cause is what callers need.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(inner).Throw();
            throw;
        }
    }

    private async Task<MigrationRunResult> RunCoreAsync(string? target, Func<RunSession, CancellationToken, Task<MigrationRunResult>> body, CancellationToken cancellationToken)
    {
        if (!string.Equals(context.Database.ProviderName, NpgsqlProvider, StringComparison.Ordinal) || context.Database.GetDbConnection() is not NpgsqlConnection connection)
        {
            throw new SafeMigrationException(RuleIds.DesignHostFailed,
                $"The runner applies migrations to PostgreSQL through Npgsql; this context uses {context.Database.ProviderName ?? "no relational provider"}. Use Database.Migrate() for other databases.");
        }

        var migrations = new EfMigrations(context);
        if (target is { Length: > 0 } && target != "0" && migrations.Find(target) is null)
        {
            throw new SafeMigrationException(RuleIds.DesignHostFailed,
                $"No migration '{target}' in {context.GetType().Name}'s assembly. Known: {string.Join(", ", migrations.All.TakeLast(5).Select(m => m.Id))}{(migrations.All.Count > 5 ? " (last five)" : string.Empty)}.");
        }

        using var activity = SafeMigrationsTelemetry.Source.StartActivity(options.Command);
        activity?.SetTag("db.system", "postgresql");
        if (!options.DryRun)
        {
            await EnsureDatabaseAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var runLock = await MigrationRunLock.AcquireAsync(
            (NpgsqlConnection)((ICloneable)connection).Clone(), options.Lock with { ApplicationName = options.Lock.ApplicationName ?? "SafeMigrations runner" }, logger, holder => options.Progress?.Report(
                new MigrationProgress(MigrationProgressKind.Retrying, string.Empty, 0, 0) { Detail = "waiting for the migration lock held by " + holder }),
            cancellationToken).ConfigureAwait(false);
        await context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var audit = new AuditTrail(runLock.Connection, Guid.NewGuid());
        var executor = new StepExecutor(connection, runLock.Connection, options, logger, audit);
        var session = new RunSession(migrations, executor, audit, connection);
        try
        {
            if (options.DryRun)
            {
                return await body(session, cancellationToken).ConfigureAwait(false);
            }

            await audit.EnsureAsync(cancellationToken).ConfigureAwait(false);
            await audit.StartRunAsync(options, target, cancellationToken).ConfigureAwait(false);
            var purged = await BackupCatalog.PurgeOlderThanAsync(runLock.Connection, options.BackupRetention, cancellationToken).ConfigureAwait(false);
            await DatabaseCommands.ExecuteAsync(connection, migrations.HistoryCreateScript, cancellationToken).ConfigureAwait(false);
            MigrationRunResult result;
            var held = Stopwatch.StartNew();
            using var holding = SafeMigrationsTelemetry.HoldingLock();
            try
            {
                result = await body(session, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                var outcome = e is OperationCanceledException ? "cancelled" : "failed";
                await audit.FinishRunAsync(outcome, e.Message).ConfigureAwait(false);
                RecordRun(outcome, held.Elapsed);
                throw;
            }

            await audit.FinishRunAsync("succeeded", null).ConfigureAwait(false);
            RecordRun("succeeded", held.Elapsed);
            return purged == 0 ? result : result with
            {
                Notes = [.. result.Notes, $"Dropped {purged} backup(s) older than the retention of {options.BackupRetention.TotalDays:0.#} days (SafeMigrationOptions.BackupRetention)."],
            };
        }
        finally
        {
            await executor.ResetAsync().ConfigureAwait(false);
            await context.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private void RecordRun(string outcome, TimeSpan held)
    {
        var tags = new[] { new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("command", options.Command) };
        SafeMigrationsTelemetry.Runs.Add(1, tags);
        SafeMigrationsTelemetry.RunDuration.Record(held.TotalMilliseconds, tags);
    }

    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        var creator = context.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await creator.CreateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another runner created it a moment ago.
        }
    }

    private async Task<MigrationRunResult> ApplyAsync(RunSession session, CancellationToken cancellationToken)
    {
        var migrations = session.Migrations;
        var applied = await migrations.AppliedAsync(cancellationToken).ConfigureAwait(false);
        var plan = RunPlan.Decide(migrations.All, applied, migrations.Phase, options);
        var notes = plan.Notes.ToList();
        if (options.DryRun)
        {
            var planned = plan.ToApply.Select(m => Planned(m, MigrationDirection.Up, migrations.Phase(m), migrations.Up(m))).ToList();
            return new MigrationRunResult(session.Audit.RunId, planned, notes) { Remaining = plan.Remaining };
        }

        await ChecksumVerifier.VerifyAsync(session, applied.ToHashSet(StringComparer.Ordinal), options, notes, cancellationToken).ConfigureAwait(false);
        var checks = new PostRunChecks(session, options);
        await checks.BeforeFirstAsync(cancellationToken).ConfigureAwait(false);
        var steps = new List<MigrationStepResult>();
        for (var i = 0; i < plan.ToApply.Count; i++)
        {
            var migration = plan.ToApply[i];
            try
            {
                await IntegrityPrecheck.RunAsync(session.Connection, migrations.Definition(migration), cancellationToken).ConfigureAwait(false);
                steps.Add(await ApplyOneAsync(session, migration, i, plan.ToApply.Count, cancellationToken).ConfigureAwait(false));
                await checks.AfterAsync(migration, cancellationToken).ConfigureAwait(false);
            }
            catch (SafeMigrationException e) when (e.RuleId == RuleIds.IntegrityCheckFailed && steps.Count > 0 && options.RollbackOnFailure)
            {
                throw await RollBackRunAsync(session, steps, e, cancellationToken).ConfigureAwait(false);
            }
        }

        notes.AddRange(steps.SelectMany(step => BackupNotes(migrations.Definition(migrations.Find(step.MigrationId)!))));
        if (steps.Count > 0 && await checks.HealthProbeFailureAsync(cancellationToken).ConfigureAwait(false) is { } failure)
        {
            var error = new SafeMigrationException(RuleIds.IntegrityCheckFailed, $"After the run, {failure}.", steps[^1].MigrationId);
            throw options.RollbackOnFailure ? await RollBackRunAsync(session, steps, error, cancellationToken).ConfigureAwait(false) : error;
        }

        notes.AddRange(await checks.UnvalidatedConstraintsAsync(cancellationToken).ConfigureAwait(false));
        foreach (var note in notes)
        {
            RunnerLog.Note(logger, note);
        }

        return new MigrationRunResult(session.Audit.RunId, steps, notes) { Remaining = plan.Remaining, LongestBackfillBatch = session.Executor.LongestBackfillBatch };
    }

    /// <summary>What became of the data an applied migration dropped: where its backup is kept and for how long, or why there is none.</summary>
    private IEnumerable<string> BackupNotes(MigrationDefinition migration)
    {
        var dropped = Backups.Dropped(migration);
        if (dropped.Count == 0)
        {
            return [];
        }

        var what = string.Join(", ", dropped.Select(d => d.Column is null ? d.Table.Name : d.Table.Name + "." + d.Column));
        if (migration.BackupDeclined is { } why)
        {
            return [$"{migration.Id} dropped {what} without a backup: it declines them ([DeclineBackup]: {why})."];
        }

        return options.BackupBeforeDestruction
            ? [$"{migration.Id} dropped {what}: backed up in schema {BackupSql.Schema}, readable only by the role that runs migrations, kept {options.BackupRetention.TotalDays:0.#} days (SafeMigrationOptions.BackupRetention); after a rollback, 'dotnet safemig restore --migration {Reversibility.MigrationName(migration.Id)}' puts the values back."]
            : [$"{migration.Id} dropped {what} without a backup (BackupBeforeDestruction is off)."];
    }

    /// <summary>A dry run's step: the SQL it would run, nothing run.</summary>
    private static MigrationStepResult Planned(KnownMigration migration, MigrationDirection direction, MigrationPhase phase, IReadOnlyList<RunnerCommand> commands) =>
        new(migration.Id, direction, phase, TimeSpan.Zero, commands.Count, 0, TimeSpan.Zero)
        {
            Sql = commands.Select(c => (c.InTransaction ? string.Empty : "-- outside a transaction\n") + c.Sql).ToList(),
        };

    private async Task<MigrationStepResult> ApplyOneAsync(RunSession session, KnownMigration migration, int index, int total, CancellationToken cancellationToken)
    {
        var phase = session.Migrations.Phase(migration);
        RunnerLog.Applying(logger, migration.Id, index + 1, total, phase);
        var generated = session.Migrations.Up(migration);
        var commands = generated;
        if (options.BackupBeforeDestruction)
        {
            commands = await BackupPlanner.WithBackupsAsync(session.Connection, session.Migrations.Definition(migration), commands, cancellationToken).ConfigureAwait(false);
        }

        return await execution.RunAsync(session, migration, MigrationDirection.Up, phase, commands, EfMigrations.Checksum(generated), index, total, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MigrationRunResult> RevertAsync(RunSession session, string? target, bool force, CancellationToken cancellationToken)
    {
        var migrations = session.Migrations;
        var applied = (await migrations.AppliedAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var targetId = target is null or "0" ? null : migrations.Find(target)!.Id;
        var toRevert = migrations.All.Where(m => applied.Contains(m.Id) && (targetId is null || string.CompareOrdinal(m.Id, targetId) > 0)).Reverse().ToList();
        var irreversible = toRevert.Select(migrations.Irreversible).OfType<string>().ToList();
        // The refusal names what would really be lost, counted: a Down dropping values, an Up drop whose values only a backup holds.
        var measured = await RollbackLosses.MeasureAsync(session.Connection, toRevert.Select(migrations.Definition), cancellationToken).ConfigureAwait(false);
        var losses = measured.Where(l => l.LosesValues).ToList();
        var empty = measured.Where(l => l.Loss.Kind == RollbackLossKind.DroppedByDown && !l.LosesValues).ToLookup(l => l.Loss.MigrationId, l => l.Loss.Data);
        if ((irreversible.Count > 0 || losses.Count > 0) && !force)
        {
            var first = toRevert.First(m => migrations.Irreversible(m) is not null || losses.Any(l => l.Loss.MigrationId == m.Id));
            var downDrops = losses.Any(l => l.Loss.Kind == RollbackLossKind.DroppedByDown) && options.BackupBeforeDestruction;
            throw new SafeMigrationException(RuleIds.RollbackRefused,
                $"Rolling back would not give back what these migrations hold: {string.Join("; ", irreversible.Concat(losses.Select(l => l.Description)))}. Nothing was rolled back. "
                + $"Pass --force (RollbackAsync(force: true)) to run their Down anyway{(downDrops ? "; what a Down drops is backed up first, and dotnet safemig restore puts it back after the migration is applied again" : string.Empty)}.",
                first.Id);
        }

        // Forced or not, a Down that throws cannot run: refuse before reverting anything.
        if (toRevert.Select(migrations.Definition).FirstOrDefault(m => m.DownState == DownState.Throws) is { } blocked)
        {
            throw new SafeMigrationException(RuleIds.RollbackRefused,
                $"Cannot roll back past {blocked.Id}: its Down throws: {blocked.DownFailure?.TrimEnd('.')}. Nothing was rolled back; roll back to {blocked.Id} or a later migration.",
                blocked.Id);
        }

        if (options.DryRun)
        {
            var planned = toRevert.Select(m => Planned(m, MigrationDirection.Down, migrations.Phase(m), migrations.Down(m, Previous(migrations, m)))).ToList();
            return new MigrationRunResult(session.Audit.RunId, planned, irreversible);
        }

        var steps = new List<MigrationStepResult>();
        for (var i = 0; i < toRevert.Count; i++)
        {
            steps.Add(await RevertOneAsync(session, toRevert[i], i, toRevert.Count, cancellationToken, empty[toRevert[i].Id].ToList()).ConfigureAwait(false));
        }

        // Forced: say where each lost value is kept now and the command that puts it back.
        var notes = new List<string>(irreversible);
        foreach (var loss in losses)
        {
            var backup = loss.Loss.Kind == RollbackLossKind.DroppedByDown
                ? await RollbackLosses.NewestBackupAsync(session.Connection, loss.Loss, cancellationToken).ConfigureAwait(false)
                : loss.BackupTable;
            notes.Add(backup is null && loss.Loss.Kind == RollbackLossKind.DroppedByDown
                ? $"{loss.Description}: not backed up (BackupBeforeDestruction is off), the values are gone"
                : Reversibility.Describe(loss.Loss, loss.Values, backup));
        }

        return new MigrationRunResult(session.Audit.RunId, steps, notes);
    }

    /// <param name="empty">What this migration's Down drops that was counted holding nothing: no backup of it.</param>
    private async Task<MigrationStepResult> RevertOneAsync(RunSession session, KnownMigration migration, int index, int total, CancellationToken cancellationToken, IReadOnlyCollection<DroppedData>? empty = null)
    {
        RunnerLog.Reverting(logger, migration.Id, index + 1, total);
        options.Progress?.Report(new MigrationProgress(MigrationProgressKind.RollingBack, migration.Id, index, total));
        var commands = session.Migrations.Down(migration, Previous(session.Migrations, migration));
        if (options.BackupBeforeDestruction)
        {
            // What Down drops (the Down of an AddColumn, a CreateTable) is backed up in its transaction, as an Up drop is.
            commands = await BackupPlanner.WithDownBackupsAsync(session.Connection, session.Migrations.Definition(migration), commands, empty ?? [], cancellationToken).ConfigureAwait(false);
        }

        return await execution.RunAsync(session, migration, MigrationDirection.Down, session.Migrations.Phase(migration), commands, EfMigrations.Checksum(commands), index, total, cancellationToken).ConfigureAwait(false);
    }

    private static KnownMigration? Previous(EfMigrations migrations, KnownMigration migration)
    {
        var index = migrations.All.ToList().FindIndex(m => m.Id == migration.Id);
        return index > 0 ? migrations.All[index - 1] : null;
    }

    /// <summary>Reverts the migrations this run applied, newest first, when every one is reversible; returns the exception to throw.</summary>
    private async Task<SafeMigrationException> RollBackRunAsync(RunSession session, List<MigrationStepResult> steps, SafeMigrationException failure, CancellationToken cancellationToken)
    {
        var applied = steps.Select(s => session.Migrations.Find(s.MigrationId)!).Reverse().ToList();
        var irreversible = applied.Select(session.Migrations.Irreversible).OfType<string>().ToList();
        if (irreversible.Count > 0)
        {
            return new SafeMigrationException(failure.RuleId,
                $"{failure.Message} The run was not rolled back: {string.Join("; ", irreversible)}.", failure.MigrationId, failure);
        }

        for (var i = 0; i < applied.Count; i++)
        {
            await RevertOneAsync(session, applied[i], i, applied.Count, cancellationToken).ConfigureAwait(false);
        }

        return new SafeMigrationException(failure.RuleId,
            $"{failure.Message} The run's {applied.Count} migration(s) were rolled back ({string.Join(", ", applied.Select(m => m.Id))}).", failure.MigrationId, failure)
        { RolledBack = true };
    }

}
