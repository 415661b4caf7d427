using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;
using SafeMigrations.Runtime;

namespace SafeMigrations.Design;

/// <summary>
/// safemig apply, rollback, history and restore: the runner (SafeMigrations.Runtime) on the app's own
/// contexts, EF Core and Npgsql. apply and rollback run each context in turn and stop at the first that
/// fails; a migration named with --to or --migration selects the one context that has it. Progress goes to
/// the channel as "@progress" lines, which the CLI shows live; the result is one run per context.
/// </summary>
internal static class RunnerCommands
{
    public static void Run(IReadOnlyList<(ContextReport Report, DbContext Context)> contexts, HostArguments arguments, HostReport report, TextWriter channel)
    {
        if (contexts.Count == 0)
        {
            return;
        }

        if (arguments.Connection is { } connection && InvalidConnection(connection) is { } problem)
        {
            report.Findings.Add(Unusable(problem));
            return;
        }

        foreach (var (_, context) in contexts)
        {
            if (arguments.Connection is { } given)
            {
                context.Database.SetConnectionString(given);
            }
        }

        if (arguments.Command == "history")
        {
            report.Runs.Add(History(contexts, arguments.Runner.Limit, report));
            return;
        }

        if (arguments.Command == "backups")
        {
            report.Runs.Add(Backups(contexts[0].Context, arguments.Runner, report));
            return;
        }

        var named = arguments.Command is "restore" ? arguments.Runner.Migration : arguments.Command is "verify" ? null : arguments.Runner.Target is "0" ? null : arguments.Runner.Target;
        if (arguments.Command == "restore" && string.IsNullOrWhiteSpace(named))
        {
            report.Findings.Add(Unusable("restore needs --migration <id>: the migration whose dropped data to put back."));
            return;
        }

        if (arguments.Command == "rollback" && string.IsNullOrWhiteSpace(arguments.Runner.Target))
        {
            report.Findings.Add(Unusable("rollback needs --to <migration> (or --to 0 for all)."));
            return;
        }

        var selected = named is null ? contexts.Select(c => c.Report).ToList() : Holders(contexts, named, report);
        if (selected is null)
        {
            return;
        }

        string? failed = null;
        foreach (var (contextReport, context) in contexts)
        {
            var skipped = !selected.Contains(contextReport) ? $"{Quote(named!)} is a migration of {selected[0].Name}"
                : failed is not null ? $"{failed} failed first"
                : null;
            if (skipped is not null)
            {
                report.Runs.Add(Empty(arguments.Command, contextReport.Name) with { Skipped = skipped });
                continue;
            }

            var run = RunOne(context, arguments, contextReport, MigrationsOfOtherContexts(context), channel);
            report.Runs.Add(run);
            if (run.Error is not null)
            {
                failed = contextReport.Name;
            }
        }
    }

    private static RunOutput RunOne(DbContext context, HostArguments arguments, ContextReport contextReport, IReadOnlySet<string> otherContextsMigrations, TextWriter channel)
    {
        var output = Empty(arguments.Command, contextReport.Name);
        try
        {
            return arguments.Command switch
            {
                "restore" => output with { RowsRestored = Restore(context, arguments.Runner.Migration!) },
                "verify" => VerifyRun.Run(context, arguments, contextReport, output, Options(arguments, otherContextsMigrations, channel), stage => channel.WriteLine(new HostProgress("Stage", 0, 0, string.Empty, 0, 0, 0, stage).ToLine())),
                _ => Migrate(context, arguments, output, otherContextsMigrations, channel),
            };
        }
        catch (SafeMigrationException e)
        {
            contextReport.Findings.Add(new Finding(e.RuleId, Severity.Error, Redact.Secrets(e.Message), e.MigrationId ?? string.Empty, Location: null));
            return output with { Error = new RunErrorOutput(e.RuleId, Redact.Secrets(e.Message), e.MigrationId, e.FailingStatement, e.RolledBack) };
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            var message = DatabaseFailure(e);
            contextReport.Findings.Add(Unusable(message));
            return output with { Error = new RunErrorOutput(RuleIds.DesignHostFailed, Redact.Secrets(message), null, null, false) };
        }
    }

    /// <summary>The contexts that have the migration named; null (and an SM3004 finding) when none or several do.</summary>
    private static List<ContextReport>? Holders(IReadOnlyList<(ContextReport Report, DbContext Context)> contexts, string named, HostReport report)
    {
        // With one context the runner says itself what is wrong with the name.
        if (contexts.Count == 1)
        {
            return [contexts[0].Report];
        }

        var holders = contexts
            .Select(c => (c.Report, Id: c.Context.GetService<IMigrationsAssembly>().FindMigrationId(named)))
            .Where(h => h.Id is not null)
            .ToList();
        if (holders.Count == 1)
        {
            return [holders[0].Report];
        }

        report.Findings.Add(Unusable(holders.Count == 0
            ? $"No context has a migration {Quote(named)}: {string.Join("; ", contexts.Select(c => $"{c.Report.Name} has {Describe(MigrationIds(c.Context))}"))}. Name one of those (id or name)."
            : $"{Quote(named)} names a migration of more than one context: {string.Join(", ", holders.Select(h => $"{h.Report.Name} ({h.Id})"))}. Pass --context <name> to choose, or the full migration id."));
        return null;
    }

    private static SafeMigrationOptions Options(HostArguments arguments, IReadOnlySet<string> otherContextsMigrations, TextWriter channel)
    {
        var run = arguments.Runner;
        var defaults = new SafeMigrationOptions();
        return defaults with
        {
            Command = arguments.Command,
            TargetMigration = arguments.Command == "apply" ? run.Target : null,
            Phase = run.Phase switch { "expand" => MigrationPhase.Expand, "contract" => MigrationPhase.Contract, _ => null },
            DryRun = run.DryRun,
            AllowOutOfOrder = run.AllowOutOfOrder,
            AcceptChecksumChanges = run.AcceptChecksums,
            LockTimeout = run.LockTimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : defaults.LockTimeout,
            MaxRetries = run.Retries ?? defaults.MaxRetries,
            Throttle = run.Throttle,
            MigrationsOfOtherContexts = otherContextsMigrations,
            Progress = new ChannelProgress(channel),
        };
    }

    private static RunOutput Migrate(DbContext context, HostArguments arguments, RunOutput output, IReadOnlySet<string> otherContextsMigrations, TextWriter channel)
    {
        var run = arguments.Runner;
        var migrator = new SafeMigrator(context, Options(arguments, otherContextsMigrations, channel));
        var result = arguments.Command == "rollback"
            ? migrator.RollbackAsync(run.Target!, run.Force).GetAwaiter().GetResult()
            : migrator.MigrateAsync().GetAwaiter().GetResult();
        return output with
        {
            RunId = run.DryRun ? null : result.RunId.ToString(),
            Steps = result.Steps.Select(s => new RunStepOutput(s.MigrationId, s.Direction.ToString().ToLowerInvariant(), s.Phase.ToString().ToLowerInvariant(), s.Duration.TotalMilliseconds, s.Statements, s.Retries, s.LockWait.TotalMilliseconds, s.Sql)).ToList(),
            Notes = result.Notes.Select(Redact.Secrets).ToList(),
            Remaining = result.Remaining,
        };
    }

    /// <summary>The backups are the database's: purged when asked, then listed.</summary>
    private static RunOutput Backups(DbContext context, RunnerArguments runner, HostReport report) =>
        OnDatabase(context, Empty("backups", null), report, (connection, output) =>
        {
            int? purged = null;
            if (runner.Migration is { Length: > 0 } migration)
            {
                purged = BackupCatalog.PurgeMigrationAsync(connection, migration).GetAwaiter().GetResult();
            }

            if (runner.PurgeOlderThanDays is { } days)
            {
                purged = (purged ?? 0) + BackupCatalog.PurgeOlderThanAsync(connection, TimeSpan.FromDays(days)).GetAwaiter().GetResult();
            }

            var entries = BackupCatalog.ListAsync(connection).GetAwaiter().GetResult();
            return output with
            {
                Backups = entries.Select(e => new BackupOutput(e.BackupTable, e.MigrationId, e.SourceSchema, e.SourceTable, e.Column, e.TakenBy, e.TakenAt, e.Bytes, e.Rows)).ToList(),
                BackupsPurged = purged,
            };
        });

    /// <summary>The audit trail is the database's: read once, each row named with the context whose migration it is.</summary>
    private static RunOutput History(IReadOnlyList<(ContextReport Report, DbContext Context)> contexts, int limit, HostReport report)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (contextReport, context) in contexts)
        {
            foreach (var id in MigrationIds(context))
            {
                owners.TryAdd(id, contextReport.Name);
            }
        }

        return OnDatabase(contexts[0].Context, Empty("history", contexts.Count == 1 ? contexts[0].Report.Name : null), report, (connection, output) => output with
        {
            History = MigrationAuditReader.ReadAsync(connection, limit).GetAwaiter().GetResult()
                .Select(e => new HistoryRowOutput(e.RunId.ToString(), e.Command, e.AppliedBy, e.Host, e.MigrationId, e.Direction, e.Checksum, e.StartedAt,
                    e.Duration.TotalMilliseconds, e.Outcome, e.Error is null ? null : Redact.Secrets(e.Error), e.Statements, e.Retries, e.LockWait.TotalMilliseconds)
                {
                    Context = owners.GetValueOrDefault(e.MigrationId),
                    Pauses = e.Pauses,
                    PausedMs = e.Paused.TotalMilliseconds,
                }).ToList(),
        });
    }

    /// <summary>Runs <paramref name="read"/> on the context's open connection; a database failure is one unusable-input finding and the run's error.</summary>
    private static RunOutput OnDatabase(DbContext context, RunOutput output, HostReport report, Func<NpgsqlConnection, RunOutput, RunOutput> read)
    {
        var database = context.Database;
        try
        {
            database.OpenConnection();
            try
            {
                return read((NpgsqlConnection)database.GetDbConnection(), output);
            }
            finally
            {
                database.CloseConnection();
            }
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            var message = DatabaseFailure(e);
            report.Findings.Add(Unusable(message));
            return output with { Error = new RunErrorOutput(RuleIds.DesignHostFailed, Redact.Secrets(message), null, null, false) };
        }
    }

    private static long Restore(DbContext context, string migration)
    {
        var id = context.GetService<IMigrationsAssembly>().FindMigrationId(migration) ?? migration;
        using var source = new NpgsqlDataSourceBuilder(context.Database.GetConnectionString()).Build();
        return BackupRestorer.RestoreAsync(source, id).GetAwaiter().GetResult();
    }

    private static string? InvalidConnection(string connection)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connection);
            return null;
        }
        catch (ArgumentException e)
        {
            // Npgsql names the keyword or value it rejects, never the password.
            return $"The connection string is not valid: {e.Message} Expected the form Host=…;Port=5432;Database=…;Username=…;Password=….";
        }
    }

    private static bool IsDatabaseFailure(Exception e) =>
        e is NpgsqlException or MigrationLockTimeoutException || (e is InvalidOperationException && e.InnerException is NpgsqlException);

    private static string DatabaseFailure(Exception e)
    {
        if (e is MigrationLockTimeoutException)
        {
            return e.Message;
        }

        var root = e;
        while (root.InnerException is not null)
        {
            root = root.InnerException;
        }

        // A statement PostgreSQL refused is not a connection problem: say what it refused.
        if (root is PostgresException refused && !IsConnectionClass(refused.SqlState))
        {
            return $"PostgreSQL refused a statement: {refused.SqlState}: {refused.MessageText}{(refused.TableName is { } table ? $" (table {table}{(refused.ColumnName is { } column ? ", column " + column : string.Empty)})" : string.Empty)}. Nothing of this command was committed.";
        }

        return $"The database could not be used: {root.Message} Check the connection string (host, port, database, user, password) and that the server is reachable.";
    }

    /// <summary>Connection, authentication and "no such database" errors: the ones the connection string can fix.</summary>
    private static bool IsConnectionClass(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("28", StringComparison.Ordinal) || sqlState == PostgresErrorCodes.InvalidCatalogName;

    /// <summary>
    /// Every migration of the migrations assembly that is not this context's: contexts in one database share EF's
    /// history table, whether or not --context picked them this time.
    /// </summary>
    private static HashSet<string> MigrationsOfOtherContexts(DbContext context)
    {
        var migrations = context.GetService<IMigrationsAssembly>();
        var all = DesignTimeContexts.Types(migrations.Assembly)
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        all.ExceptWith(migrations.Migrations.Keys);
        return all;
    }

    private static IReadOnlyList<string> MigrationIds(DbContext context) =>
        context.GetService<IMigrationsAssembly>().Migrations.Keys.Order(StringComparer.Ordinal).ToList();

    private static string Describe(IReadOnlyList<string> ids) =>
        ids.Count == 0 ? "no migrations" : ids.Count <= 4 ? string.Join(", ", ids) : $"{ids.Count} migrations, {ids[0]} to {ids[^1]}";

    private static string Quote(string name) => "'" + name + "'";

    private static RunOutput Empty(string command, string? context) => new(command, context, null, [], [], [], null, [], null);

    /// <summary>The app, the database or the arguments could not be used (exit code 2).</summary>
    private static Finding Unusable(string message) => new(RuleIds.DesignHostFailed, Severity.Error, Redact.Secrets(message), string.Empty, Location: null);

    /// <summary>Progress as lines on the channel (<see cref="HostProgress"/>).</summary>
    private sealed class ChannelProgress(TextWriter channel) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => channel.WriteLine(new HostProgress(
            value.Kind.ToString(), value.Index, value.Total, value.MigrationId, value.Elapsed?.TotalMilliseconds ?? 0, value.Rows ?? 0, value.RowsEstimate ?? 0, value.Detail ?? string.Empty).ToLine());
    }
}
