using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Gate;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;
using SafeMigrations.EntityFrameworkCore;

namespace SafeMigrations.Design;

/// <summary>
/// The gate's checks on one DbContext, with EF Core's own services: every migration's real operations
/// judged by Core (file and line from the source), pending model changes from EF's differ (SM3001),
/// previous-release compatibility from the migrations' target models (SM3005), and the lock file
/// (SM3002/SM3003).
/// </summary>
internal sealed class ContextInspector
{
    public const string NpgsqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";
    private const string SuppressAttribute = "SafeMigrations.SuppressMigrationRuleAttribute";

    private readonly DbContext context;
    private readonly HostArguments arguments;
    private readonly MigrationSourceMap sources;
    private readonly IMigrationsAssembly migrationsAssembly;
    private readonly IModelRuntimeInitializer initializer;
    private readonly string provider;
    private readonly Dictionary<string, TargetModelFacts?> targetModels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Migration> migrations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MigrationDefinition> definitions = new(StringComparer.Ordinal);
    private IModel? snapshotModel;
    private bool snapshotModelRead;

    public ContextInspector(DbContext context, HostArguments arguments, MigrationSourceMap sources, ContextReport report)
    {
        this.context = context;
        this.arguments = arguments;
        this.sources = sources;
        Report = report;
        migrationsAssembly = context.GetService<IMigrationsAssembly>();
        initializer = context.GetService<IModelRuntimeInitializer>();
        provider = context.Database.ProviderName ?? "(unknown)";
        report.Provider = provider;
        report.IsPostgres = provider == NpgsqlProvider;
        if (!report.IsPostgres)
        {
            report.Notes.Add($"{report.Name} uses {provider}, not PostgreSQL: the PostgreSQL rules are skipped; pending model changes, previous-release compatibility and the lock file are still checked.");
        }
    }

    public ContextReport Report { get; }

    private AnalysisOptions Options => arguments.Analysis;

    /// <summary>Judges every migration in order, then the pending model changes with what the history established.</summary>
    public void Check(bool pending, LockMode? lockMode)
    {
        var history = new SchemaHistory();
        var analyzer = new MigrationAnalyzer(Options);
        string? previousId = null;
        foreach (var (id, type) in migrationsAssembly.Migrations.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var definition = Read(id, type, out var checksum);
            if (definition is null)
            {
                Report.Migrations.Add(new MigrationReport(id, sources.ClassLocation(type, "void Up("), string.Empty));
                previousId = id;
                continue;
            }

            var judgesPreviousRelease = previousId is not null && !definition.IsContractStep && MigrationPhases.MayAffectPreviousRelease(definition)
                && !IsSuppressed(definition, RuleIds.PreviousReleaseBroken);
            var before = judgesPreviousRelease ? history.Copy() : null;
            IReadOnlyList<Finding> findings = [];
            if (Report.IsPostgres)
            {
                findings = analyzer.Analyze(definition, history).Select(f => f with { Location = f.Location ?? definition.Location }).ToList();
            }

            var compatibility = judgesPreviousRelease
                ? PreviousReleaseCheck.Check(definition, TargetModel(previousId!)?.ToReleaseSchema(), TargetModel(id)?.ToReleaseSchema() ?? ReleaseSchema.Empty, Options, findings, before)
                : [];
            // A target model without tables is a Designer that records none (EF builds an empty one): nothing to check against.
            var backfills = HasBackfill(definition) && !IsSuppressed(definition, RuleIds.BackfillTargetMissing)
                ? BackfillTargetsCheck.Check(definition, TargetModel(id)?.ToReleaseSchema() is { Tables.Count: > 0 } target ? target : null, Options)
                : [];
            var all = findings.Concat(compatibility).Concat(backfills).ToList();
            Report.Findings.AddRange(all);
            Report.Migrations.Add(new MigrationReport(id, definition.Location, checksum) { Phase = MigrationPhases.Of(definition), Findings = all });
            previousId = id;
        }

        if (pending)
        {
            CheckPendingChanges(history);
        }

        if (lockMode is { } mode)
        {
            CheckLockFile(mode);
        }
    }

    /// <summary>The SQL EF + the provider generate for a migration, statement by statement with the locks they take.</summary>
    public IReadOnlyList<PlannedCommand> Plan(string id)
    {
        var migration = Migration(id);
        var model = PreparedTargetModel(migration);
        var generator = context.GetService<IMigrationsSqlGenerator>();
        var created = definitions.TryGetValue(id, out var definition) ? SqlPlan.TablesCreatedBy(definition).ToHashSet() : [];
        return generator.Generate(migration.UpOperations, model)
            .Select(c => new PlannedCommand(c.CommandText, c.TransactionSuppressed, Report.IsPostgres ? SafePlan(c) : []) { NewTables = created })
            .ToList();
    }

    public IReadOnlyList<string> AppliedMigrations(string connection)
    {
        context.Database.SetConnectionString(connection);
        return context.Database.GetAppliedMigrations().ToList();
    }

    private static IReadOnlyList<PlannedStatement> SafePlan(MigrationCommand command)
    {
        try
        {
            return SqlPlan.Statements(command.CommandText, !command.TransactionSuppressed);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return [];
        }
    }

    private MigrationDefinition? Read(string id, TypeInfo type, out string checksum)
    {
        checksum = string.Empty;
        Migration migration;
        IReadOnlyList<MigrationOperation> up;
        var classLocation = sources.ClassLocation(type, "void Up(");
        try
        {
            migration = Migration(id);
            up = migration.UpOperations;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var root = EfMigrationReader.Root(e);
            Fail(id, classLocation, $"Migration {id} throws while EF builds its operations: {root.GetType().Name}: {Redact.Secrets(root.Message).TrimEnd('.')}. Fix its Up method; the gate cannot judge it, and EF cannot apply it.");
            return null;
        }

        var upLocations = sources.UpOperationLocations(type, up.Select(MethodName).ToList());
        var definition = EfMigrationReader.Read(id, type, migration, () => TargetModel(id), i => upLocations[i], classLocation) with { Suppressions = Suppressions(type) };
        checksum = MigrationsLockFile.Checksum(OperationFingerprint.Of(up, definition.DownState == DownState.Throws ? [] : migration.DownOperations));
        definitions[id] = definition;
        return definition;
    }

    /// <summary>
    /// SM3006: the snapshot must have every table of the newest migration that records a model. Returns false (and
    /// reports it) when it lost some: nothing may be scaffolded from it, and its pending changes mean nothing.
    /// </summary>
    public bool CheckSnapshot()
    {
        var recordedBy = migrationsAssembly.Migrations.OrderBy(m => m.Key, StringComparer.Ordinal).LastOrDefault(m => RecordsModel(m.Value)).Key;
        if (recordedBy is null || TargetModel(recordedBy) is not { } recorded)
        {
            return true;
        }

        var snapshot = migrationsAssembly.ModelSnapshot;
        var snapshotTables = SnapshotModel() is { } model ? new TargetModelFacts(model.GetRelationalModel()).ToReleaseSchema().Tables.Select(t => t.Name).ToList() : [];
        var location = snapshot is null ? null : sources.ClassLocation(snapshot.GetType());
        var finding = ModelSnapshotCheck.Check(Report.Name, recordedBy, recorded.ToReleaseSchema().Tables.Select(t => t.Name).ToList(), snapshotTables,
            snapshot is null ? null : sources.FileOf(snapshot.GetType()), Options, location ?? sources.ClassLocation(context.GetType()));
        if (finding is null)
        {
            return true;
        }

        Report.Findings.Add(finding);
        return false;
    }

    // A Designer records a model when it builds one (as dotnet ef writes it) or gives one (a SafeMigrations template's).
    private static bool RecordsModel(TypeInfo migration) =>
        migration.GetMethod("BuildTargetModel", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, [typeof(ModelBuilder)])?.DeclaringType == migration
        || migration.GetProperty(nameof(Microsoft.EntityFrameworkCore.Migrations.Migration.TargetModel), BindingFlags.Instance | BindingFlags.Public)?.DeclaringType == migration;

    // From a snapshot instance of the inspector's own: initializing finalizes the instance's cached model, and EF's
    // scaffolder ('add', generation on build) processes the assembly's instance afterwards (a second pass loses it).
    private IModel? SnapshotModel()
    {
        if (!snapshotModelRead)
        {
            snapshotModelRead = true;
            snapshotModel = migrationsAssembly.ModelSnapshot is { } snapshot && ((ModelSnapshot)Activator.CreateInstance(snapshot.GetType())!).Model is { } model
                ? initializer.Initialize(model, designTime: true, validationLogger: null)
                : null;
        }

        return snapshotModel;
    }

    /// <summary>Whether EF's differ finds changes between the snapshot and the model (what 'migrations add' would scaffold).</summary>
    public bool HasPendingChanges() =>
        context.GetService<IMigrationsModelDiffer>().HasDifferences(SnapshotModel()?.GetRelationalModel(), context.GetService<IDesignTimeModel>().Model.GetRelationalModel());

    private void CheckPendingChanges(SchemaHistory history)
    {
        if (!CheckSnapshot())
        {
            return;
        }

        var differ = context.GetService<IMigrationsModelDiffer>();
        var designModel = context.GetService<IDesignTimeModel>().Model;
        var snapshot = migrationsAssembly.ModelSnapshot;
        var snapshotModel = SnapshotModel();
        var operations = differ.GetDifferences(snapshotModel?.GetRelationalModel(), designModel.GetRelationalModel());
        if (operations.Count == 0)
        {
            return;
        }

        var changes = EfMigrationReader.Changes(operations, () => new TargetModelFacts(designModel.GetRelationalModel()));
        var location = (snapshot is null ? null : sources.ClassLocation(snapshot.GetType())) ?? sources.ClassLocation(context.GetType());
        if (PendingModelChangesCheck.Judge(Report.Name, changes, Options, Report.IsPostgres ? history : null, location, judge: Report.IsPostgres) is { } result)
        {
            Report.PendingChanges.AddRange(result.Changes);
            if (result.Finding.Severity != Severity.None)
            {
                Report.Findings.Add(arguments.GenerationSkipped
                    ? result.Finding with { Message = result.Finding.Message + " SafeMigrationsGenerateOnBuild writes nothing in CI, where the lock file is only verified: build locally (or run 'dotnet safemig migrations add') and commit the migrations with the lock file." }
                    : result.Finding);
            }
        }
    }

    private void CheckLockFile(LockMode mode)
    {
        var path = LockFilePath();
        Report.LockFile = path;
        var existing = File.Exists(path) ? File.ReadAllText(path) : null;
        var actual = Report.Migrations.Where(m => m.Checksum.Length > 0).Select(m => new LockEntry(m.Id, m.Checksum)).ToList();
        var locations = Report.Migrations.ToDictionary(m => m.Id, m => m.Location, StringComparer.Ordinal);
        // A build that fails on a new migration does not record it yet: fixing it must not read as editing it (SM3003).
        var unfinished = arguments.ErrorsAsWarnings ? null : Report.Findings.Where(f => f.Severity == Severity.Error && f.MigrationId.Length > 0).Select(f => f.MigrationId).ToHashSet(StringComparer.Ordinal);
        // Git is asked only when a recorded migration was edited: every other build spawns nothing.
        var edited = existing is null || mode != LockMode.Update ? [] : MigrationsLockFile.Parse(existing).Entries.Where(e => actual.Any(a => a.MigrationId == e.MigrationId && a.Checksum != e.Checksum)).ToList();
        var provisional = edited.Count == 0 ? null : CommittedLockFile.Provisional(path, edited);
        var result = MigrationsLockCheck.Check(path, existing, actual, mode, Options, id => locations.TryGetValue(id, out var at) ? at : null, unfinished, provisional);
        Report.Findings.AddRange(result.Findings);
        Report.LockState = result.Findings.Any(f => f.Severity == Severity.Error) ? LockFileState.Broken
            : existing is null && !result.NeedsWrite ? LockFileState.Missing
            : result.NeedsWrite ? LockFileState.Written
            : LockFileState.UpToDate;
        if (result.NeedsWrite)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, MigrationsLockFile.Render(Report.Name, result.Entries));
            Report.WrittenFiles.Add(path);
        }
    }

    /// <summary>Re-records every migration as it is now (`safemig lock update`).</summary>
    public void RewriteLockFile()
    {
        var path = LockFilePath();
        Report.LockFile = path;
        var entries = MigrationsLockCheck.Rerecord(Report.Migrations.Where(m => m.Checksum.Length > 0).Select(m => new LockEntry(m.Id, m.Checksum)).ToList());
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, MigrationsLockFile.Render(Report.Name, entries));
        Report.WrittenFiles.Add(path);
        Report.LockState = LockFileState.Written;
    }

    /// <summary>Next to the migrations: the snapshot's folder, else the project's Migrations folder.</summary>
    public string LockFilePath()
    {
        var folder = migrationsAssembly.ModelSnapshot is { } snapshot && sources.FileOf(snapshot.GetType()) is { } file
            ? Path.GetDirectoryName(file)!
            : Path.Combine(arguments.ProjectDirectory ?? Directory.GetCurrentDirectory(), "Migrations");
        return Path.Combine(folder, Report.Name + MigrationsLockFile.Extension);
    }

    private Migration Migration(string id)
    {
        if (!migrations.TryGetValue(id, out var migration))
        {
            migration = migrationsAssembly.CreateMigration(migrationsAssembly.Migrations[id], provider);
            migrations[id] = migration;
        }

        return migration;
    }

    private IModel? PreparedTargetModel(Migration migration) =>
        migration.TargetModel is { } model ? initializer.Initialize(model, designTime: true, validationLogger: null) : null;

    private TargetModelFacts? TargetModel(string id)
    {
        if (!targetModels.TryGetValue(id, out var facts))
        {
            try
            {
                facts = PreparedTargetModel(Migration(id)) is { } model ? new TargetModelFacts(model.GetRelationalModel()) : null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A Designer EF cannot build leaves the model facts unknown; the rules then judge as the analyzers do.
                facts = null;
                Report.Notes.Add($"The target model of {id} could not be built ({EfMigrationReader.Root(e).Message}); it was judged without it.");
            }

            targetModels[id] = facts;
        }

        return facts;
    }

    private static bool HasBackfill(MigrationDefinition migration) =>
        migration.UpOperations.Any(o => o is RawSqlChange raw && raw.Sql.TrimStart().StartsWith(Core.Runner.BackfillSql.Marker, StringComparison.Ordinal));

    // Core's analysis applies SM1xxx suppressions (and reports unjustified ones, SM0001); a justified one of a gate rule is applied here.
    private static bool IsSuppressed(MigrationDefinition migration, string ruleId) =>
        migration.Suppressions.Any(s => s.IsJustified && string.Equals(s.RuleId, ruleId, StringComparison.OrdinalIgnoreCase));

    private static string MethodName(MigrationOperation operation)
    {
        var name = operation.GetType().Name;
        return name.EndsWith("Operation", StringComparison.Ordinal) ? name[..^"Operation".Length] : name;
    }

    private List<Suppression> Suppressions(TypeInfo type) =>
        type.CustomAttributes
            .Where(a => a.AttributeType.FullName == SuppressAttribute)
            .Select(a =>
            {
                var ruleId = a.ConstructorArguments.FirstOrDefault().Value as string ?? string.Empty;
                var justification = a.NamedArguments.FirstOrDefault(n => n.MemberName == "Justification").TypedValue.Value as string;
                return new Suppression(ruleId, justification, sources.AttributeLocation(type, "SuppressMigrationRule", ruleId));
            })
            .ToList();

    private void Fail(string id, SourceLocation? location, string message) =>
        Report.Findings.Add(new Finding(RuleIds.DesignHostFailed, Options.SeverityOf(GateRules.DesignHostFailed), message, id, location));
}
