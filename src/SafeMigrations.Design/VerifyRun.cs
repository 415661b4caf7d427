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
    public static RunOutput Run(DbContext context, HostArguments arguments, ContextReport contextReport, RunOutput output, SafeMigrationOptions options)
    {
        var ids = context.GetService<IMigrationsAssembly>().Migrations.Keys.Order(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return output with { Notes = ["No migrations to verify."] };
        }

        var since = arguments.Runner.Migration;
        string? baseId = since is null ? (ids.Count > 1 ? ids[^2] : null)
            : since == "0" ? null
            : context.GetService<IMigrationsAssembly>().FindMigrationId(since) ?? throw new DesignHostException($"No migration '{since}': --since names a migration of {contextReport.Name} (id or name), or 0 for all.");
        var verified = ids.Where(id => baseId is null || string.CompareOrdinal(id, baseId) > 0).ToList();
        var connectionString = context.Database.GetConnectionString()!;
        var budget = arguments.Runner.LockBudgetMs is { } ms ? TimeSpan.FromMilliseconds(ms) : VerifyJudge.DefaultLockBudget;

        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        if (AppliedMigrations(connection) > 0)
        {
            throw new DesignHostException("verify applies, rolls back and re-applies migrations: give it an empty database (leave out --connection for a throwaway one), never one that has applied migrations.");
        }

        if (baseId is not null)
        {
            new SafeMigrator(context, options with { TargetMigration = baseId }).MigrateAsync().GetAwaiter().GetResult();
        }

        var live = arguments.From is { } from ? LiveTables(from) : null;
        var seeded = new Dictionary<Core.Model.TableName, long>();
        var seedNotes = new List<string>();
        var shapes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var observer = new StatementObserver(connectionString);
        string? upError = null;
        RoundTrip? roundTrip = null;
        try
        {
            // One migration at a time, each on the state just before it with rows in every table, those its
            // predecessors in the range created too: otherwise --since 0 would observe only empty, new tables.
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
                new SafeMigrator(context, options with { Observer = observer, MaxRetries = 0, TargetMigration = id }).MigrateAsync().GetAwaiter().GetResult();
            }

            roundTrip = RoundTrip(context, connection, options, baseId, verified, shapes);
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
                statements.Select(ToOutput).ToList(),
                roundTrip is null ? null : new RoundTripOutput(roundTrip.LostByDown, roundTrip.LeftByDown, roundTrip.DownError, roundTrip.SecondUpError, roundTrip.DownNotes),
                budget.TotalMilliseconds, upError),
        };
    }

    /// <summary>
    /// Down one migration at a time, newest first (forced: the shadow's data may go), each time comparing the schema with
    /// the one that migration's Up started from; then Up again.
    /// </summary>
    private static RoundTrip RoundTrip(DbContext context, NpgsqlConnection connection, SafeMigrationOptions options, string? baseId, IReadOnlyList<string> verified, IReadOnlyDictionary<string, IReadOnlyList<string>> shapes)
    {
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
                notes.AddRange(down.Notes.Select(Redact.Secrets));
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

    private static ObservedStatementOutput ToOutput(ObservedStatement s) => new(
        s.MigrationId, s.Sql, s.InTransaction, s.StartMs, s.DurationMs, s.HeldUntilMs,
        s.Claims().Select(c => new LockOutput(c.Table.DisplayName, c.Level.SqlName())).ToList(),
        s.Locks.Select(l => new LockOutput(l.Table.DisplayName, l.Level.SqlName())).ToList(),
        s.Rewritten, s.Scanned.Select(t => t.DisplayName).ToList())
    {
        Impact = s.Impact?.Describe(),
        EstimatedHeldMs = s.Impact?.EstimatedHeldMs,
    };

    /// <summary>The live database's table sizes (--from), in a read-only transaction; never written to.</summary>
    private static IReadOnlyDictionary<Core.Model.TableName, LiveTable> LiveTables(string connectionString)
    {
        try
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            return ShadowDatabase.LiveTablesAsync(connection).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException)
        {
            throw new DesignHostException($"--from could not be read: {Redact.Secrets(e.Message)} Give a connection string (Host=…;Database=…;Username=…) of a role that may read pg_class.");
        }
    }

    private static long AppliedMigrations(NpgsqlConnection connection)
    {
        // The count is planned only once the table is known to exist.
        using var exists = new NpgsqlCommand("SELECT to_regclass('\"__EFMigrationsHistory\"') IS NOT NULL", connection);
        if (exists.ExecuteScalar() is not true)
        {
            return 0;
        }

        using var count = new NpgsqlCommand("SELECT count(*) FROM \"__EFMigrationsHistory\"", connection);
        return Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
