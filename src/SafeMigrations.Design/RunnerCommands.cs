using Microsoft.EntityFrameworkCore;
using Npgsql;
using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;
using SafeMigrations.Runtime;

namespace SafeMigrations.Design;

/// <summary>
/// safemig apply, rollback, history and restore: the runner (SafeMigrations.Runtime) on the app's own
/// context, EF Core and Npgsql. Progress goes to stderr as "@progress" lines, which the CLI shows live;
/// the result is the report's Run.
/// </summary>
internal static class RunnerCommands
{
    public static void Run(DbContext context, HostArguments arguments, HostReport report, ContextReport contextReport)
    {
        var output = new RunOutput(arguments.Command, contextReport.Name, null, [], [], [], null, [], null);
        if (arguments.Connection is { } connection)
        {
            try
            {
                context.Database.SetConnectionString(connection);
                _ = new NpgsqlConnectionStringBuilder(connection);
            }
            catch (ArgumentException e)
            {
                // Npgsql names the keyword or value it rejects, never the password.
                var message = $"The connection string is not valid: {e.Message} Expected the form Host=…;Port=5432;Database=…;Username=…;Password=….";
                report.Run = output with { Error = new RunErrorOutput(RuleIds.DesignHostFailed, Redact.Secrets(message), null, null, false) };
                contextReport.Findings.Add(new Core.Rules.Finding(RuleIds.DesignHostFailed, Severity.Error, Redact.Secrets(message), string.Empty, Location: null));
                return;
            }
        }

        var run = arguments.Runner;
        try
        {
            output = arguments.Command switch
            {
                "history" => output with { History = History(context, run.Limit) },
                "restore" => output with { RowsRestored = Restore(context, run.Migration) },
                _ => Migrate(context, arguments, output),
            };
        }
        catch (SafeMigrationException e)
        {
            output = output with { Error = new RunErrorOutput(e.RuleId, Redact.Secrets(e.Message), e.MigrationId, e.FailingStatement, e.RolledBack) };
            contextReport.Findings.Add(new Core.Rules.Finding(e.RuleId, Severity.Error, Redact.Secrets(e.Message), e.MigrationId ?? string.Empty, Location: null));
        }
        catch (Exception e) when (e is NpgsqlException or MigrationLockTimeoutException || (e is InvalidOperationException && e.InnerException is NpgsqlException))
        {
            var root = e;
            while (root.InnerException is not null)
            {
                root = root.InnerException;
            }

            var message = e is MigrationLockTimeoutException ? e.Message : $"The database could not be used: {root.Message} Check the connection string (host, port, database, user, password) and that the server is reachable.";
            output = output with { Error = new RunErrorOutput(RuleIds.DesignHostFailed, Redact.Secrets(message), null, null, false) };
            contextReport.Findings.Add(new Core.Rules.Finding(RuleIds.DesignHostFailed, Severity.Error, Redact.Secrets(message), string.Empty, Location: null));
        }

        report.Run = output;
    }

    private static RunOutput Migrate(DbContext context, HostArguments arguments, RunOutput output)
    {
        var run = arguments.Runner;
        var defaults = new SafeMigrationOptions();
        var options = defaults with
        {
            Command = arguments.Command,
            TargetMigration = arguments.Command == "apply" ? run.Target : null,
            Phase = run.Phase switch { "expand" => MigrationPhase.Expand, "contract" => MigrationPhase.Contract, _ => null },
            DryRun = run.DryRun,
            AllowOutOfOrder = run.AllowOutOfOrder,
            AcceptChecksumChanges = run.AcceptChecksums,
            LockTimeout = run.LockTimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : defaults.LockTimeout,
            MaxRetries = run.Retries ?? defaults.MaxRetries,
            Progress = new StderrProgress(),
        };
        var migrator = new SafeMigrator(context, options);
        var result = arguments.Command == "rollback"
            ? migrator.RollbackAsync(run.Target ?? throw new SafeMigrationException(RuleIds.DesignHostFailed, "rollback needs --to <migration> (or --to 0 for all)."), run.Force).GetAwaiter().GetResult()
            : migrator.MigrateAsync().GetAwaiter().GetResult();
        return output with
        {
            RunId = run.DryRun ? null : result.RunId.ToString(),
            Steps = result.Steps.Select(s => new RunStepOutput(s.MigrationId, s.Direction.ToString().ToLowerInvariant(), s.Phase.ToString().ToLowerInvariant(), s.Duration.TotalMilliseconds, s.Statements, s.Retries, s.LockWait.TotalMilliseconds, s.Sql)).ToList(),
            Notes = result.Notes.Select(Redact.Secrets).ToList(),
            Remaining = result.Remaining,
        };
    }

    private static List<HistoryRowOutput> History(DbContext context, int limit)
    {
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        context.Database.OpenConnection();
        try
        {
            return MigrationAuditReader.ReadAsync(connection, limit).GetAwaiter().GetResult()
                .Select(e => new HistoryRowOutput(e.RunId.ToString(), e.Command, e.AppliedBy, e.Host, e.MigrationId, e.Direction, e.Checksum, e.StartedAt,
                    e.Duration.TotalMilliseconds, e.Outcome, e.Error is null ? null : Redact.Secrets(e.Error), e.Statements, e.Retries, e.LockWait.TotalMilliseconds))
                .ToList();
        }
        finally
        {
            context.Database.CloseConnection();
        }
    }

    private static long Restore(DbContext context, string? migration)
    {
        if (string.IsNullOrWhiteSpace(migration))
        {
            throw new SafeMigrationException(RuleIds.DesignHostFailed, "restore needs --migration <id>: the migration whose dropped data to put back.");
        }

        using var source = new NpgsqlDataSourceBuilder(context.Database.GetConnectionString()).Build();
        return BackupRestorer.RestoreAsync(source, migration).GetAwaiter().GetResult();
    }

    /// <summary>Progress as lines on stderr: "@progress kind index total migration elapsed-ms rows estimated-rows detail".</summary>
    private sealed class StderrProgress : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value)
        {
            var detail = (value.Detail ?? string.Empty).ReplaceLineEndings(" ").Trim();
            if (detail.Length > 120)
            {
                detail = detail[..120] + " …";
            }

            Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"@progress\t{value.Kind}\t{value.Index}\t{value.Total}\t{value.MigrationId}\t{value.Elapsed?.TotalMilliseconds ?? 0:0}\t{value.Rows ?? 0}\t{value.RowsEstimate ?? 0}\t{detail}"));
        }
    }
}
