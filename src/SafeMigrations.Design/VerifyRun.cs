using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;
using SafeMigrations.Core.Verify;
using SafeMigrations.Design.Protocol;
using SafeMigrations.Runtime;

namespace SafeMigrations.Design;

/// <summary>
/// safemig verify: on a shadow database (never one that has applied migrations), migrate to the base, seed every
/// table, apply the verified migrations with the runner while <see cref="StatementObserver"/> watches each
/// statement, then Down to the base and Up again; findings SM4005 and SM4006 from Core's <see cref="VerifyJudge"/>.
/// </summary>
internal static class VerifyRun
{
    /// <summary>
    /// The report keeps the application probe's longest request per table, kind and window: every request of a short run
    /// (a window of one probe interval), at most about 400 windows of a long one.
    /// </summary>
    private static double ProbeWindow(IReadOnlyList<ProbeSample> samples) =>
        Math.Max(ApplicationProbes.Interval.TotalMilliseconds, (samples.Max(p => p.AtMs) - samples.Min(p => p.AtMs)) / 400);

    /// <param name="stage">Says which part of the run the progress lines that follow belong to.</param>
    public static RunOutput Run(DbContext context, HostArguments arguments, ContextReport contextReport, RunOutput output, SafeMigrationOptions options, Action<string> stage)
    {
        var ids = context.GetService<IMigrationsAssembly>().Migrations.Keys.Order(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return output with { Notes = ["No migrations to verify."] };
        }

        var connectionString = context.Database.GetConnectionString()!;
        var budget = arguments.Runner.LockBudgetMs is { } ms ? TimeSpan.FromMilliseconds(ms) : VerifyJudge.DefaultLockBudget;
        if ((arguments.Runner.CopySchema || arguments.Runner.Sample) && arguments.From is null)
        {
            throw new DesignHostException("--copy-schema and --sample read the database given with --from: give it.");
        }

        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        if (context.Database.GetAppliedMigrations().ToList() is { Count: > 0 } applied)
        {
            throw new DesignHostException($"The shadow database has applied {applied.Count} migration(s) (the newest is {applied[^1]}), and verify applies, rolls back and re-applies them: give it an empty database (leave out --connection for a throwaway one; to reuse one, drop and re-create it), never one your app uses.");
        }

        // --from first: a wrong connection string is said before anything is migrated.
        var live = arguments.From is { } from ? Read(from, source => ShadowDatabase.TableSizesAsync(source).GetAwaiter().GetResult()) : null;
        string? baseId;
        if (arguments.Runner.CopySchema)
        {
            // The shadow is --from's schema and history: the base is what it has applied, the verified ones what it has pending.
            CopySchema(context, arguments, connectionString, connection);
            baseId = context.Database.GetAppliedMigrations().Order(StringComparer.Ordinal).LastOrDefault();
        }
        else
        {
            var since = arguments.Runner.Migration;
            baseId = since is null ? (ids.Count > 1 ? ids[^2] : null)
                : since == "0" ? null
                : context.GetService<IMigrationsAssembly>().FindMigrationId(since) ?? throw new DesignHostException($"No migration '{since}': --since names a migration of {contextReport.Name} (id or name), or 0 for all.");
            if (baseId is not null)
            {
                stage($"Base: the migrations up to {baseId} (not observed)");
                new SafeMigrator(context, options with { TargetMigration = baseId }).MigrateAsync().GetAwaiter().GetResult();
            }
        }

        var verified = ids.Where(id => baseId is null || string.CompareOrdinal(id, baseId) > 0).ToList();
        if (verified.Count == 0)
        {
            return output with
            {
                Notes = [arguments.Runner.CopySchema
                    ? $"Nothing to verify: the database given with --from has applied every migration of {contextReport.Name} (the newest is {baseId})."
                    : $"Nothing to verify: {baseId} is the newest migration of {contextReport.Name}."],
            };
        }

        var seeded = new Dictionary<Core.Model.TableName, long>();
        var seedNotes = new List<string>();
        if (arguments.Runner.Sample)
        {
            var (copied, notes) = Read(arguments.From!, source => ShadowDatabase.CopySampleAsync(source, connection, arguments.Runner.Rows).GetAwaiter().GetResult());
            foreach (var (table, count) in copied)
            {
                seeded[table] = count;
            }

            seedNotes.Add($"Rows copied from --from (at most {arguments.Runner.Rows} per table): {(copied.Count == 0 ? "none" : string.Join(", ", copied.Select(c => $"{c.Key.DisplayName} {c.Value}")))}; tables still empty get generated rows.");
            seedNotes.AddRange(notes);
        }

        var shapes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var observer = new StatementObserver(connectionString);
        var probed = new List<ProbeSample>();
        string? upError = null;
        RoundTrip? roundTrip = null;
        try
        {
            // One migration at a time, each on the state just before it with rows in every table, those its
            // predecessors in the range created too: otherwise --since 0 would observe only empty, new tables.
            stage($"Up, observed: {verified.Count} migration(s), each on seeded rows, with the application probe");
            observer.StartAsync().GetAwaiter().GetResult();
            foreach (var id in verified)
            {
                var (rows, notes) = ShadowDatabase.SeedAsync(connection, arguments.Runner.Rows, onlyEmpty: true).GetAwaiter().GetResult();
                foreach (var (table, count) in rows)
                {
                    seeded[table] = count;
                }

                seedNotes.AddRange(notes.Where(n => !seedNotes.Contains(n)));
                shapes[id] = ShadowDatabase.ShapeAsync(connection).GetAwaiter().GetResult();
                observer.RebaseAsync().GetAwaiter().GetResult();

                // The application's requests meanwhile: how long each would have waited for its table.
                var probe = ApplicationProbe.StartAsync(connectionString, id, () => observer.ElapsedMs).GetAwaiter().GetResult();
                try
                {
                    // No watchdog: it would cancel a statement the probes wait behind, and verify is here to see it run.
                    new SafeMigrator(context, options with { Observer = observer, MaxRetries = 0, TargetMigration = id, WatchdogBudget = TimeSpan.Zero }).MigrateAsync().GetAwaiter().GetResult();
                }
                finally
                {
                    probed.AddRange(probe.StopAsync().GetAwaiter().GetResult());
                }
            }

            roundTrip = RoundTrip(context, connection, options, baseId, verified, shapes, stage);
        }
        catch (SafeMigrationException e)
        {
            upError = $"{e.RuleId}: {Redact.Secrets(e.Message)}";
        }
        finally
        {
            observer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        var statements = live is null ? observer.Statements : observer.Statements.Select(st => st with { Impact = Impact.Of(st, seeded, live) }).ToList();
        foreach (var finding in VerifyJudge.Judge(statements, roundTrip, budget))
        {
            contextReport.Findings.Add(finding);
        }

        return output with
        {
            Verify = new VerifyOutput(
                baseId, verified, arguments.Runner.Rows, seeded.ToDictionary(s => s.Key.DisplayName, s => s.Value), seedNotes,
                statements.Select(s => ToOutput(s, probed)).ToList(),
                roundTrip is null ? null : new RoundTripOutput(roundTrip.LostByDown, roundTrip.LeftByDown, roundTrip.DownError, roundTrip.SecondUpError, roundTrip.DownNotes),
                budget.TotalMilliseconds, upError)
            {
                Probes = probed.GroupBy(p => p.MigrationId).SelectMany(m => ApplicationProbes.Condensed(m, ProbeWindow(m.ToList())))
                    .Select(p => new ProbeOutput(p.MigrationId, p.Table.DisplayName, p.Kind == ProbeKind.Read ? "read" : "write", p.AtMs, p.Ms, p.Outcome.ToString().ToLowerInvariant()))
                    .ToList(),
            },
        };
    }

    /// <summary>
    /// Down one migration at a time, newest first (forced: the shadow's data may go), each time comparing the schema with
    /// the one that migration's Up started from; then Up again.
    /// </summary>
    private static RoundTrip RoundTrip(DbContext context, NpgsqlConnection connection, SafeMigrationOptions options, string? baseId, IReadOnlyList<string> verified, IReadOnlyDictionary<string, IReadOnlyList<string>> shapes, Action<string> stage)
    {
        stage("Down, newest first, each compared with the schema its Up started from");
        string? downError = null, secondUpError = null, firstDifferent = null;
        var notes = new List<string>();
        var lost = new List<string>();
        var left = new List<string>();
        for (var i = verified.Count - 1; i >= 0 && downError is null; i--)
        {
            var id = verified[i];
            try
            {
                var down = new SafeMigrator(context, options).RollbackAsync(i > 0 ? verified[i - 1] : baseId ?? "0", force: true).GetAwaiter().GetResult();
                // The runner's notes speak to a database someone keeps; this shadow goes when verify ends.
                notes.AddRange(down.Notes.Select(n => "A rollback on your database would say: " + Redact.Secrets(n)));
            }
            catch (SafeMigrationException e)
            {
                downError = $"{e.RuleId}: {Redact.Secrets(e.Message)}";
                break;
            }

            var after = ShadowDatabase.ShapeAsync(connection).GetAwaiter().GetResult();
            var name = id.Length > 15 && id[14] == '_' ? id[15..] : id;
            var missing = shapes[id].Except(after).Select(l => $"{name}: {l}").ToList();
            var extra = after.Except(shapes[id]).Select(l => $"{name}: {l}").ToList();
            if (missing.Count + extra.Count > 0)
            {
                firstDifferent ??= id;
                lost.AddRange(missing);
                left.AddRange(extra);
            }
        }

        if (downError is null)
        {
            stage("Up again");
            try
            {
                new SafeMigrator(context, options).MigrateAsync().GetAwaiter().GetResult();
            }
            catch (SafeMigrationException e)
            {
                secondUpError = $"{e.RuleId}: {Redact.Secrets(e.Message)}";
            }
        }

        return new RoundTrip(lost, left, downError, secondUpError, notes) { FirstDifferent = firstDifferent };
    }

    private static ObservedStatementOutput ToOutput(ObservedStatement s, IReadOnlyList<ProbeSample> probed)
    {
        var own = probed.Where(p => p.MigrationId == s.MigrationId).ToList();
        var reads = ApplicationProbes.Stall(own, s, ProbeKind.Read);
        var writes = ApplicationProbes.Stall(own, s, ProbeKind.Write);
        var verdict = s.Verdict();
        return new(
            s.MigrationId, s.Sql, s.InTransaction, s.StartMs, s.DurationMs, s.HeldUntilMs,
            s.Claims().Select(c => new LockOutput(c.Table.DisplayName, c.Level.SqlName())).ToList(),
            s.Locks.Select(l => new LockOutput(l.Table.DisplayName, l.Level.SqlName())).ToList(),
            s.Rewritten, s.Scanned.Select(t => t.DisplayName).ToList())
        {
            Impact = s.Impact?.Describe(),
            EstimatedHeldMs = s.Impact?.EstimatedHeldMs,
            Verdict = verdict switch
            {
                ClaimVerdict.AsClaimed => "as claimed",
                ClaimVerdict.NotAsClaimed => "not as claimed",
                _ => "no existing table, or already held",
            },
            Agrees = verdict != ClaimVerdict.NotAsClaimed,
            Waits = s.Waits.Select(w => w.ToString()).ToList(),
            ReadsBlocked = reads is not null,
            ReadsWaitedMs = reads?.Ms,
            WritesBlocked = writes is not null,
            WritesWaitedMs = writes?.Ms,
        };
    }

    /// <summary>
    /// --copy-schema: pg_dump's schema of --from, then its migration history (read with EF's own history repository, so a
    /// history table configured elsewhere is found); --from is only read.
    /// </summary>
    private static void CopySchema(DbContext context, HostArguments arguments, string shadow, NpgsqlConnection connection)
    {
        try
        {
            ShadowDatabase.CopySchemaAsync(arguments.Runner.PgDump, arguments.From!, shadow).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidOperationException or NpgsqlException or ArgumentException)
        {
            throw new DesignHostException($"--copy-schema could not copy the schema of --from: {Redact.Secrets(e.Message).TrimEnd('.')}. Check --from's connection string (host, port, database, user, password), and that pg_dump is as new as the server.");
        }

        var history = context.GetService<IHistoryRepository>();
        IReadOnlyList<HistoryRow> rows;
        try
        {
            context.Database.SetConnectionString(arguments.From);
            rows = history.GetAppliedMigrations();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            throw new DesignHostException($"--copy-schema could not read the migration history of --from: {Redact.Secrets(e.Message)}");
        }
        finally
        {
            context.Database.SetConnectionString(shadow);
        }

        foreach (var row in rows)
        {
            using var insert = new NpgsqlCommand(history.GetInsertScript(row), connection);
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>Reads the database given with --from (never written: every read there is in a read-only transaction).</summary>
    private static T Read<T>(string connectionString, Func<NpgsqlConnection, T> read)
    {
        try
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            return read(connection);
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException)
        {
            throw new DesignHostException($"--from could not be read: {Redact.Secrets(e.Message).TrimEnd('.')}. Check its connection string (host, port, database, user, password: Host=…;Database=…;Username=…;Password=…); verify only reads it.");
        }
    }
}
