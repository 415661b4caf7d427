using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
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

    public SafeMigrator(DbContext context, SafeMigrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        this.context = context;
        this.options = options ?? new SafeMigrationOptions();
        logger = this.options.Logger ?? NullLogger.Instance;
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
        var executor = new StepExecutor(connection, runLock.Connection, options, logger);
        var audit = new AuditTrail(runLock.Connection, Guid.NewGuid());
        var session = new RunSession(migrations, executor, audit, connection);
        try
        {
            if (options.DryRun)
            {
                return await body(session, cancellationToken).ConfigureAwait(false);
            }

            await audit.EnsureAsync(cancellationToken).ConfigureAwait(false);
            await audit.StartRunAsync(options, target, cancellationToken).ConfigureAwait(false);
            await BackupRestorer.PurgeExpiredAsync(runLock.Connection, options.BackupRetention, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, migrations.HistoryCreateScript, cancellationToken).ConfigureAwait(false);
            MigrationRunResult result;
            try
            {
                result = await body(session, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await audit.FinishRunAsync(e is OperationCanceledException ? "cancelled" : "failed", e.Message).ConfigureAwait(false);
                throw;
            }

            await audit.FinishRunAsync("succeeded", null).ConfigureAwait(false);
            return result;
        }
        finally
        {
            await executor.ResetAsync().ConfigureAwait(false);
            await context.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
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
        catch (PostgresException e) when (e.SqlState == "42P04")
        {
            // Another runner created it a moment ago.
        }
    }

    private async Task<MigrationRunResult> ApplyAsync(RunSession session, CancellationToken cancellationToken)
    {
        var migrations = session.Migrations;
        var applied = await migrations.AppliedAsync(cancellationToken).ConfigureAwait(false);
        var appliedSet = applied.ToHashSet(StringComparer.Ordinal);
        var notes = new List<string>();
        foreach (var unknown in applied.Where(id => !options.MigrationsOfOtherContexts.Contains(id) && migrations.All.All(m => m.Id != id)))
        {
            notes.Add($"{unknown} is applied but not in this build (a newer release applied it?).");
        }

        if (!options.DryRun)
        {
            await VerifyChecksumsAsync(session, appliedSet, notes, cancellationToken).ConfigureAwait(false);
        }

        var pending = migrations.All.Where(m => !appliedSet.Contains(m.Id)).ToList();
        var lastApplied = migrations.All.LastOrDefault(m => appliedSet.Contains(m.Id));
        if (lastApplied is not null && !options.AllowOutOfOrder && pending.FirstOrDefault(m => string.CompareOrdinal(m.Id, lastApplied.Id) < 0) is { } early)
        {
            throw new SafeMigrationException(RuleIds.NonLinearMigrationHistory,
                $"{early.Id} is not applied but sorts before {lastApplied.Id}, which is: it was merged after a later migration was deployed, and would run out of order. Re-create it so it comes last (dotnet ef migrations remove, then add), or allow it once (AllowOutOfOrder, safemig apply --allow-out-of-order) after checking it does not depend on order.",
                early.Id);
        }

        if (options.TargetMigration is { Length: > 0 } target)
        {
            var targetMigration = migrations.Find(target)!;
            pending = pending.Where(m => string.CompareOrdinal(m.Id, targetMigration.Id) <= 0).ToList();
            if (applied.Any(id => string.CompareOrdinal(id, targetMigration.Id) > 0))
            {
                notes.Add($"Migrations after {targetMigration.Id} are applied: apply never reverts them (use rollback --to {targetMigration.Name}).");
            }
        }

        var allPending = pending;
        if (options.Phase is { } phase)
        {
            var phases = pending.Select(m => (Migration: m, Phase: migrations.Phase(m))).ToList();
            if (phase == MigrationPhase.Contract && phases.Count > 0 && phases[0].Phase == MigrationPhase.Expand)
            {
                throw new SafeMigrationException(RuleIds.PreviousReleaseBroken,
                    $"The contract phase was asked for, but {phases[0].Migration.Id} (expand) is not applied yet: apply the expand phase first (--phase expand), roll the new release out to every instance, then contract.",
                    phases[0].Migration.Id);
            }

            pending = phases.TakeWhile(p => p.Phase == phase).Select(p => p.Migration).ToList();
            if (pending.Count < allPending.Count)
            {
                notes.Add($"Stopped before {allPending[pending.Count].Id} ({migrations.Phase(allPending[pending.Count]).ToString().ToLowerInvariant()}): run the {(phase == MigrationPhase.Expand ? "contract phase after the new release is out" : "next expand phase")}.");
            }
        }

        var remaining = allPending.Skip(pending.Count).Select(m => m.Id).ToList();
        if (options.DryRun)
        {
            var planned = pending.Select(m =>
            {
                var commands = migrations.Up(m);
                return new MigrationStepResult(m.Id, MigrationDirection.Up, migrations.Phase(m), TimeSpan.Zero, commands.Count, 0, TimeSpan.Zero)
                {
                    Sql = commands.Select(c => (c.InTransaction ? string.Empty : "-- outside a transaction\n") + c.Sql).ToList(),
                };
            }).ToList();
            return new MigrationRunResult(session.Audit.RunId, planned, notes) { Remaining = remaining };
        }

        await RunChecksAsync(session, "before the first migration", null, cancellationToken).ConfigureAwait(false);
        var invalidBefore = await InvalidIndexesAsync(session.Connection, cancellationToken).ConfigureAwait(false);
        var steps = new List<MigrationStepResult>();
        for (var i = 0; i < pending.Count; i++)
        {
            var migration = pending[i];
            try
            {
                await IntegrityPrecheck.RunAsync(session.Connection, migrations.Definition(migration), cancellationToken).ConfigureAwait(false);
                steps.Add(await ApplyOneAsync(session, migration, i, pending.Count, cancellationToken).ConfigureAwait(false));
                // Only a step outside a transaction (a concurrent build) can leave an INVALID index behind.
                var invalid = session.Migrations.Up(migration).Any(c => !c.InTransaction)
                    ? (await InvalidIndexesAsync(session.Connection, cancellationToken).ConfigureAwait(false)).Except(invalidBefore).ToList()
                    : [];
                if (invalid.Count > 0)
                {
                    throw new SafeMigrationException(RuleIds.IntegrityCheckFailed,
                        $"{migration.Id} left INVALID indexes: {string.Join(", ", invalid)} (a concurrent build failed part-way). They take write overhead and serve no query.", migration.Id);
                }

                await RunChecksAsync(session, "after " + migration.Id, migration.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (SafeMigrationException e) when (e.RuleId == RuleIds.IntegrityCheckFailed && steps.Count > 0 && options.RollbackOnFailure)
            {
                throw await RollBackRunAsync(session, steps, e, cancellationToken).ConfigureAwait(false);
            }
        }

        if (options.HealthProbe is { } probe && steps.Count > 0)
        {
            string? failure;
            try
            {
                failure = await probe(cancellationToken).ConfigureAwait(false) ? null : "the health probe returned false";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failure = "the health probe threw " + e.GetType().Name + ": " + e.Message;
            }

            if (failure is not null)
            {
                var error = new SafeMigrationException(RuleIds.IntegrityCheckFailed, $"After the run, {failure}.", steps[^1].MigrationId);
                if (!options.RollbackOnFailure)
                {
                    throw error;
                }

                throw await RollBackRunAsync(session, steps, error, cancellationToken).ConfigureAwait(false);
            }
        }

        await using (var command = new NpgsqlCommand(RunnerSql.UnvalidatedConstraints, session.Connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                notes.Add($"Constraint {reader.GetString(2)} on {reader.GetString(0)}.{reader.GetString(1)} is NOT VALID: validate it in a later migration (ALTER TABLE … VALIDATE CONSTRAINT), or new rows are checked but old ones are not.");
            }
        }

        foreach (var note in notes)
        {
            RunnerLog.Note(logger, note);
        }

        return new MigrationRunResult(session.Audit.RunId, steps, notes) { Remaining = remaining, LongestBackfillBatch = session.Executor.LongestBackfillBatch };
    }

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

        return await ExecuteMigrationAsync(session, migration, MigrationDirection.Up, phase, commands, EfMigrations.Checksum(generated), index, total, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MigrationStepResult> ExecuteMigrationAsync(
        RunSession session, KnownMigration migration, MigrationDirection direction, MigrationPhase phase, IReadOnlyList<RunnerCommand> commands, string checksum,
        int index, int total, CancellationToken cancellationToken)
    {
        using var activity = SafeMigrationsTelemetry.Source.StartActivity("migration " + migration.Id);
        activity?.SetTag("safemigrations.migration", migration.Id);
        activity?.SetTag("safemigrations.direction", direction.ToString());
        options.Progress?.Report(new MigrationProgress(MigrationProgressKind.MigrationStarted, migration.Id, index, total));
        var steps = MigrationStep.Split(commands);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var records = new List<StatementRecord>();
        var progressKey = direction == MigrationDirection.Up ? migration.Id : migration.Id + ":down";
        var completed = 0;
        if (steps.Count > 1)
        {
            completed = await ReadProgressAsync(session.Connection, progressKey, checksum, cancellationToken).ConfigureAwait(false);
            if (completed > 0)
            {
                RunnerLog.Resuming(logger, migration.Id, completed, steps.Count);
            }
        }

        try
        {
            for (var s = completed; s < steps.Count; s++)
            {
                var step = steps[s];
                var done = s + 1;
                var last = done == steps.Count;
                Func<NpgsqlTransaction, IReadOnlyList<StatementRecord>, CancellationToken, Task>? bookkeeping = last
                    ? async (transaction, stepRecords, token) =>
                    {
                        if (steps.Count > 1)
                        {
                            await ExecuteAsync(session.Connection, AuditSql.ClearProgress, token, transaction, ("migration", progressKey)).ConfigureAwait(false);
                        }

                        await session.Audit.RecordMigrationAsync(session.Connection, transaction, migration.Id, direction, checksum, started, clock.Elapsed, "applied", null, null, [.. records, .. stepRecords]).ConfigureAwait(false);
                    }
                    : steps.Count == 1 ? null : (transaction, _, token) => SaveProgressAsync(session.Connection, progressKey, checksum, done, transaction, token);
                await session.Executor.RunAsync(migration.Id, step, records, bookkeeping,
                    sql => options.Progress?.Report(new MigrationProgress(MigrationProgressKind.StatementStarted, migration.Id, index, total) { Detail = sql }), cancellationToken).ConfigureAwait(false);
                if (!step.InTransaction && steps.Count > 1)
                {
                    await SaveProgressAsync(session.Connection, progressKey, checksum, done, null, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failing = e is SafeMigrationException { FailingStatement: { } f } ? f : records.LastOrDefault(r => r.Outcome == "failed")?.Sql ?? FailingStatement(steps, records, completed);
            RunnerLog.Failed(logger, migration.Id, e.Message);
            await session.Audit.RecordMigrationAsync(migration.Id, direction, checksum, started, clock.Elapsed, "failed", e.Message, failing, records).ConfigureAwait(false);
            if (e is SafeMigrationException)
            {
                throw;
            }

            throw new SafeMigrationException(RuleIds.MigrationFailed,
                $"{migration.Id} failed: {e.Message.TrimEnd('.')}. The migration's open transaction was rolled back{(steps.Count > 1 ? "; steps it committed before are recorded and the next run resumes after them" : ", so the database is as before it")}. Fix the migration or the data, then run again.",
                migration.Id, e) { FailingStatement = failing };
        }

        SafeMigrationsTelemetry.MigrationDuration.Record(clock.Elapsed.TotalMilliseconds);
        SafeMigrationsTelemetry.MigrationsApplied.Add(1);
        RunnerLog.Applied(logger, migration.Id, clock.Elapsed.TotalMilliseconds);
        options.Progress?.Report(new MigrationProgress(MigrationProgressKind.MigrationFinished, migration.Id, index, total) { Elapsed = clock.Elapsed });
        return new MigrationStepResult(migration.Id, direction, phase, clock.Elapsed, records.Count, records.Sum(r => r.Retries), TimeSpan.FromTicks(records.Sum(r => r.LockWait.Ticks)));
    }

    private static string? FailingStatement(IReadOnlyList<MigrationStep> steps, List<StatementRecord> records, int completed)
    {
        // The statement after the last one recorded as done.
        var done = records.Select(r => r.Ordinal).ToHashSet();
        return steps.Skip(completed).SelectMany(s => s.Commands).FirstOrDefault(c => !done.Contains(c.Ordinal)).Command?.Sql;
    }

    private async Task<MigrationRunResult> RevertAsync(RunSession session, string? target, bool force, CancellationToken cancellationToken)
    {
        var migrations = session.Migrations;
        var applied = (await migrations.AppliedAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var targetId = target is null or "0" ? null : migrations.Find(target)!.Id;
        var toRevert = migrations.All.Where(m => applied.Contains(m.Id) && (targetId is null || string.CompareOrdinal(m.Id, targetId) > 0)).Reverse().ToList();
        var irreversible = toRevert.Select(migrations.Irreversible).OfType<string>().ToList();
        if (irreversible.Count > 0 && !force)
        {
            throw new SafeMigrationException(RuleIds.RollbackRefused,
                $"Rolling back would not give back what these migrations took: {string.Join("; ", irreversible)}. Pass --force (RollbackAsync(force: true)) to run their Down anyway.",
                toRevert.First(m => migrations.Irreversible(m) is not null).Id);
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
            var planned = toRevert.Select(m =>
            {
                var commands = migrations.Down(m, Previous(migrations, m));
                return new MigrationStepResult(m.Id, MigrationDirection.Down, migrations.Phase(m), TimeSpan.Zero, commands.Count, 0, TimeSpan.Zero)
                {
                    Sql = commands.Select(c => (c.InTransaction ? string.Empty : "-- outside a transaction\n") + c.Sql).ToList(),
                };
            }).ToList();
            return new MigrationRunResult(session.Audit.RunId, planned, irreversible);
        }

        var steps = new List<MigrationStepResult>();
        for (var i = 0; i < toRevert.Count; i++)
        {
            steps.Add(await RevertOneAsync(session, toRevert[i], i, toRevert.Count, cancellationToken).ConfigureAwait(false));
        }

        return new MigrationRunResult(session.Audit.RunId, steps, irreversible);
    }

    private async Task<MigrationStepResult> RevertOneAsync(RunSession session, KnownMigration migration, int index, int total, CancellationToken cancellationToken)
    {
        RunnerLog.Reverting(logger, migration.Id, index + 1, total);
        options.Progress?.Report(new MigrationProgress(MigrationProgressKind.RollingBack, migration.Id, index, total));
        var commands = session.Migrations.Down(migration, Previous(session.Migrations, migration));
        return await ExecuteMigrationAsync(session, migration, MigrationDirection.Down, session.Migrations.Phase(migration), commands, EfMigrations.Checksum(commands), index, total, cancellationToken).ConfigureAwait(false);
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

    private async Task VerifyChecksumsAsync(RunSession session, HashSet<string> applied, List<string> notes, CancellationToken cancellationToken)
    {
        var recorded = await session.Audit.AppliedChecksumsAsync(cancellationToken).ConfigureAwait(false);
        var currentVersion = EfMigrations.ProductVersion;
        foreach (var migration in session.Migrations.All)
        {
            if (!applied.Contains(migration.Id) || !recorded.TryGetValue(migration.Id, out var was))
            {
                continue;
            }

            var checksum = EfMigrations.Checksum(session.Migrations.Up(migration));
            if (checksum == was.Checksum)
            {
                continue;
            }

            var efChanged = Major(was.ProductVersion) != Major(currentVersion);
            if (options.AcceptChecksumChanges || efChanged)
            {
                notes.Add(efChanged
                    ? $"{migration.Id}'s SQL differs from when EF Core {was.ProductVersion} applied it; EF Core is now {currentVersion}, whose SQL generation may differ. The new checksum is recorded."
                    : $"{migration.Id}'s changed checksum was accepted and recorded.");
                await session.Audit.RecordMigrationAsync(migration.Id, MigrationDirection.Up, checksum, DateTimeOffset.UtcNow, TimeSpan.Zero, "applied", "checksum accepted", null, []).ConfigureAwait(false);
                continue;
            }

            throw new SafeMigrationException(RuleIds.AppliedMigrationChanged,
                $"{migration.Id} is applied, but its SQL changed since (checksum {was.Checksum[..12]}… then, {checksum[..12]}… now): the change never reaches this database. Restore the migration as it was and put the change in a new migration; if the change is only EF's SQL generation, pass --accept-checksums.",
                migration.Id);
        }
    }

    private static string Major(string version) => version.Split('.')[0];

    private async Task RunChecksAsync(RunSession session, string when, string? migrationId, CancellationToken cancellationToken)
    {
        foreach (var check in options.IntegrityChecks)
        {
            string? problem;
            try
            {
                problem = await check.RunAsync(session.Connection, cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException e)
            {
                problem = "the check failed to run: " + e.Message;
            }

            if (problem is not null)
            {
                throw new SafeMigrationException(RuleIds.IntegrityCheckFailed, $"Integrity check '{check.Name}' failed {when}: {problem}.", migrationId);
            }
        }
    }

    private static async Task<IReadOnlyList<string>> InvalidIndexesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var result = new List<string>();
        await using var command = new NpgsqlCommand(RunnerSql.InvalidIndexes, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(reader.GetString(0) + "." + reader.GetString(1));
        }

        return result;
    }

    private static async Task<int> ReadProgressAsync(NpgsqlConnection connection, string key, string checksum, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(AuditSql.ReadProgress, connection);
        command.Parameters.AddWithValue("migration", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetString(0) == checksum ? reader.GetInt32(1) : 0;
    }

    private static Task SaveProgressAsync(NpgsqlConnection connection, string key, string checksum, int steps, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, AuditSql.SaveProgress, cancellationToken, transaction, ("migration", key), ("checksum", checksum), ("steps", steps));

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, sql, cancellationToken, null);

    private sealed record RunSession(EfMigrations Migrations, StepExecutor Executor, AuditTrail Audit, NpgsqlConnection Connection);
}
