using System.Reflection;
using Microsoft.EntityFrameworkCore;
using SafeMigrations.Core.Gate;
using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;

namespace SafeMigrations.Design;

/// <summary>
/// Runs one command of the host: check (the build gate), status, plan, add (the safe form of a new
/// migration) or lock-update. Exit code 0 clean, 1 findings with errors, 2 usage or load error.
/// </summary>
internal static class DesignHost
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        HostArguments arguments;
        try
        {
            arguments = HostArguments.Parse(args);
            Redact.Remember(arguments.Connection);
            Redact.Remember(arguments.From);
        }
        catch (UsageException e)
        {
            error.WriteLine("error: " + e.Message);
            return HostExitCodes.UsageOrLoadError;
        }

        if (arguments.Command is not ("check" or "status" or "plan" or "add" or "lock-update" or "apply" or "rollback" or "history" or "restore" or "backups" or "drift" or "verify"))
        {
            error.WriteLine($"error: unknown command '{arguments.Command}': expected check, status, plan, add, lock-update, apply, rollback, history, restore, backups, drift or verify.");
            return HostExitCodes.UsageOrLoadError;
        }

        // The answer goes to the caller's channel: whatever the app prints on stdout stays the app's.
        using var channel = arguments.Channel is { } path ? TextWriter.Synchronized(new StreamWriter(path, append: true) { AutoFlush = true }) : null;
        var answer = channel ?? output;
        var report = new HostReport { Command = arguments.Command };
        try
        {
            RunCommand(arguments, report, answer);
        }
        catch (DesignHostException e)
        {
            report.Findings.Add(LoadError(e.Message, arguments));
            Debug(e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Never a stack trace: say what failed and where to report it.
            var root = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            report.Findings.Add(LoadError($"The design host failed: {root.GetType().Name}: {root.Message} Rerun with SAFEMIGRATIONS_DEBUG=1 for details, and report it if the app itself works with dotnet ef.", arguments));
            Debug(e);
        }

        ReportWriter.Write(report, arguments, answer);
        return HostExitCodes.Of(ReportWriter.ToOutput(report), arguments.ErrorsAsWarnings);
    }

    private static void RunCommand(HostArguments arguments, HostReport report, TextWriter channel)
    {
        var app = AppAssemblies.Load(arguments.Assembly, arguments.StartupAssembly);
        Inspect(app, arguments, report, channel);
    }

    // EF types are first touched here, after AppAssemblies.Load made sure they can be loaded.
    private static void Inspect(AppAssemblies app, HostArguments arguments, HostReport report, TextWriter channel)
    {
        report.EfCoreVersion = typeof(DbContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        var contexts = new List<(ContextReport Report, DbContext Context)>();
        try
        {
            foreach (var type in DesignTimeContexts.Find(app, arguments.Contexts))
            {
                var contextReport = new ContextReport(type.Name, type.FullName ?? type.Name);
                report.Contexts.Add(contextReport);
                if (Create(type, app, arguments, contextReport) is { } context)
                {
                    contexts.Add((contextReport, context));
                }
            }

            if (arguments.Command is "apply" or "rollback" or "history" or "restore" or "backups" or "verify")
            {
                if (contexts.Count < report.Contexts.Count)
                {
                    // A context that cannot be created (said in its findings) stops the run before anything changes.
                    return;
                }

                // The runner's assembly loads only here: the build gate's commands never need it. It sees every
                // context at once: a migration named with --to belongs to one of them.
                RunnerCommands.Run(contexts, arguments, report, channel);
                return;
            }

            var sources = new MigrationSourceMap(arguments.ProjectDirectory);
            if (arguments.Command == "add")
            {
                Add(contexts, app, arguments, sources, report);
                return;
            }

            if (arguments.Command == "drift")
            {
                // Contexts that share a database see each other's tables: those are mapped, not drift.
                var mapped = contexts.ToDictionary(c => c.Context, c => DriftInspector.MappedTables(c.Context));
                foreach (var (contextReport, context) in contexts)
                {
                    DriftInspector.Run(context, app, arguments, contextReport, contexts.Where(c => c.Context != context).SelectMany(c => mapped[c.Context]).ToHashSet());
                }

                return;
            }

            foreach (var (contextReport, context) in contexts)
            {
                Inspect(context, app, arguments, sources, contextReport);
            }
        }
        finally
        {
            foreach (var (_, context) in contexts)
            {
                context.Dispose();
            }
        }
    }

    private static DbContext? Create(Type type, AppAssemblies app, HostArguments arguments, ContextReport contextReport)
    {
        try
        {
            // What EF reports while the context is created (a missing connection string, a factory's warning) is
            // worth telling; what its logger reports later (a failed query the host expects) is not.
            var creating = true;
            var context = DesignTimeContexts.Create(type, app, arguments.AppArguments, message =>
            {
                if (creating)
                {
                    contextReport.Notes.Add(Redact.Secrets(message));
                }
            });
            creating = false;
            return context;
        }
        catch (DesignHostException e)
        {
            contextReport.Findings.Add(LoadError(e.Message, arguments));
            return null;
        }
    }

    private static void Inspect(DbContext context, AppAssemblies app, HostArguments arguments, MigrationSourceMap sources, ContextReport contextReport)
    {
        var inspector = new ContextInspector(context, arguments, sources, contextReport);
        switch (arguments.Command)
        {
            case "check":
                inspector.Check(pending: !arguments.SkipPending, arguments.Lock);
                if (arguments.RerecordLock)
                {
                    inspector.RewriteLockFile();
                }

                break;
            case "lock-update":
                inspector.Check(pending: false, lockMode: null);
                inspector.RewriteLockFile();
                break;
            case "status":
            case "plan":
                inspector.Check(pending: !arguments.SkipPending, arguments.Lock is null ? null : LockMode.Verify);
                ReadDatabase(inspector, arguments, contextReport);
                break;
        }
    }

    /// <summary>
    /// safemig migrations add and generation on build. Never from a snapshot that lost tables (SM3006). With several
    /// contexts and none named, as dotnet ef: the one context with pending changes; several are added one context at a
    /// time (each context's first migration goes in a folder of its own only once the other's are compiled).
    /// </summary>
    private static void Add(IReadOnlyList<(ContextReport Report, DbContext Context)> contexts, AppAssemblies app, HostArguments arguments, MigrationSourceMap sources, HostReport report)
    {
        var candidates = contexts
            .Select(c => (c.Report, c.Context, Inspector: new ContextInspector(c.Context, arguments, sources, c.Report)))
            .Where(c => c.Inspector.CheckSnapshot())
            .ToList();
        if (arguments.Contexts.Count == 0 && candidates.Count > 1)
        {
            var pending = candidates.Where(c => c.Inspector.HasPendingChanges()).ToList();
            var names = string.Join(", ", candidates.Select(c => c.Report.Name));
            if (pending.Count > 1 && arguments.OnlyIfPending)
            {
                pending[0].Report.Notes.Add($"{string.Join(", ", pending.Skip(1).Select(c => c.Report.Name))} also {(pending.Count == 2 ? "has" : "have")} pending model changes: the next build writes them (one context per build, so each context's migrations are compiled before the next one's are scaffolded).");
                pending = [pending[0]];
            }
            else if (pending.Count != 1 && !arguments.OnlyIfPending)
            {
                report.Findings.Add(LoadError(pending.Count == 0
                    ? $"None of the contexts ({names}) has pending model changes. To add an empty migration (for hand-written steps), name its context: --context <name>."
                    : $"{string.Join(" and ", pending.Select(c => c.Report.Name))} have pending model changes: add their migrations one context at a time, with --context {pending[0].Report.Name}, then --context {pending[1].Report.Name}{(pending.Count > 2 ? " and so on" : string.Empty)}.", arguments));
                return;
            }

            candidates = pending;
        }

        foreach (var (contextReport, context, _) in candidates)
        {
            new SafeMigrationScaffolder(context, app, arguments, contextReport).Scaffold();
        }
    }

    private static void ReadDatabase(ContextInspector inspector, HostArguments arguments, ContextReport report)
    {
        IReadOnlyList<string>? applied = null;
        if (arguments.Connection is { } connection)
        {
            try
            {
                applied = inspector.AppliedMigrations(connection);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var root = e;
                while (root.InnerException is not null)
                {
                    root = root.InnerException;
                }

                report.DatabaseError = Redact.Secrets(root.Message);
                report.Findings.Add(LoadError(
                    $"The database could not be read: {report.DatabaseError.TrimEnd('.')}. Check the connection string (host, port, database, user, password) and that the server is reachable.",
                    arguments));
                return;
            }
        }

        if (arguments.Command == "plan" && applied is not null && report.IsPostgres)
        {
            report.LiveTables = LiveTables(arguments.Connection!);
        }

        var appliedSet = applied?.ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < report.Migrations.Count; i++)
        {
            var migration = report.Migrations[i];
            var isApplied = appliedSet?.Contains(migration.Id);
            // A baselined migration is not judged, but its SQL and locks are still what the database will run.
            var commands = arguments.Command == "plan" && isApplied != true && migration.Checksum.Length > 0
                ? inspector.Plan(migration.Id)
                : [];
            report.Migrations[i] = migration with { Applied = isApplied, Commands = commands };
        }
    }

    /// <summary>The sizes of the planned database's tables; none when the role may not read them (plan still shows the SQL).</summary>
    private static IReadOnlyDictionary<Core.Model.TableName, Core.Verify.LiveTable> LiveTables(string connection)
    {
        try
        {
            using var database = new Npgsql.NpgsqlConnection(connection);
            database.Open();
            return Runtime.ShadowDatabase.TableSizesAsync(database).GetAwaiter().GetResult();
        }
        catch (Npgsql.NpgsqlException)
        {
            return new Dictionary<Core.Model.TableName, Core.Verify.LiveTable>();
        }
    }

    private static Finding LoadError(string message, HostArguments arguments) =>
        new(RuleIds.DesignHostFailed, Core.Rules.Severity.Error, Redact.Secrets(message), string.Empty, Location: null);

    private static void Debug(Exception e)
    {
        if (Environment.GetEnvironmentVariable("SAFEMIGRATIONS_DEBUG") is "1" or "true")
        {
            Console.Error.WriteLine(e);
        }
    }
}
