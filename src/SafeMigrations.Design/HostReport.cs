using SafeMigrations.Core.Gate;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Design;

/// <summary>One SQL command EF + the provider generate for a migration, as `plan` shows it.</summary>
internal sealed record PlannedCommand(string Sql, bool TransactionSuppressed, IReadOnlyList<PlannedStatement> Statements)
{
    /// <summary>Tables the migration creates before this command: their locks block no one.</summary>
    public IReadOnlySet<TableName> NewTables { get; init; } = new HashSet<TableName>();
}

/// <summary>A migration as the host saw it.</summary>
internal sealed record MigrationReport(string Id, SourceLocation? Location, string Checksum)
{
    /// <summary>Whether the database given has applied it; null when no database was given.</summary>
    public bool? Applied { get; init; }

    public MigrationPhase Phase { get; init; }

    /// <summary>The SQL of the migration, for `plan` (pending migrations only).</summary>
    public IReadOnlyList<PlannedCommand> Commands { get; init; } = [];

    public IReadOnlyList<Finding> Findings { get; init; } = [];
}

/// <summary>The state of a context's migrations lock file.</summary>
internal enum LockFileState
{
    NotChecked,
    Missing,
    UpToDate,
    Written,
    Stale,
    Broken,
}

/// <summary>Everything the host found for one DbContext.</summary>
internal sealed class ContextReport(string name, string fullName)
{
    public string Name { get; } = name;

    public string FullName { get; } = fullName;

    public string? Provider { get; set; }

    public bool IsPostgres { get; set; }

    /// <summary>plan: the planned database's table sizes (pg_class, read-only), to say how big a locked table is.</summary>
    public IReadOnlyDictionary<Core.Model.TableName, Core.Verify.LiveTable> LiveTables { get; set; } = new Dictionary<Core.Model.TableName, Core.Verify.LiveTable>();

    public List<MigrationReport> Migrations { get; } = [];

    public List<PendingChange> PendingChanges { get; } = [];

    public string? LockFile { get; set; }

    public LockFileState LockState { get; set; }

    /// <summary>Files the host wrote (migrations add, the lock file).</summary>
    public List<string> WrittenFiles { get; } = [];

    /// <summary>Facts worth telling that are not findings ("PostgreSQL rules skipped: provider is …").</summary>
    public List<string> Notes { get; } = [];

    public List<Finding> Findings { get; } = [];

    /// <summary>Whether a database connection was used, and the error if it failed.</summary>
    public string? DatabaseError { get; set; }
}

/// <summary>The host's whole answer.</summary>
internal sealed class HostReport
{
    public string Command { get; init; } = "check";

    public string? EfCoreVersion { get; set; }

    public List<ContextReport> Contexts { get; } = [];

    /// <summary>apply, rollback, restore: what the runner did, per context; history: the database's audit trail.</summary>
    public List<Protocol.RunOutput> Runs { get; } = [];

    /// <summary>Findings not tied to one context (SM3004 before any context loaded).</summary>
    public List<Finding> Findings { get; } = [];

    public IEnumerable<(ContextReport? Context, Finding Finding)> AllFindings =>
        Findings.Select(f => ((ContextReport?)null, f)).Concat(Contexts.SelectMany(c => c.Findings.Select(f => ((ContextReport?)c, f))));
}
