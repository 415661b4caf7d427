using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.EntityFrameworkCore;

namespace SafeMigrations.Runtime;

/// <summary>One SQL command of a migration as EF + the provider generate it.</summary>
internal sealed record RunnerCommand(string Sql, bool InTransaction)
{
    /// <summary>EF's own bookkeeping (the history insert or delete): not part of the checksum.</summary>
    public bool IsHistory { get; init; }

    /// <summary>Values of the runner's own bookkeeping statements, always sent as parameters.</summary>
    public IReadOnlyList<(string Name, object Value)> Parameters { get; init; } = [];
}

/// <summary>A migration of the app's assembly, read through EF's own migrations services.</summary>
internal sealed record KnownMigration(string Id, TypeInfo Type)
{
    public string Name => Id.Length > 15 && Id[14] == '_' ? Id[15..] : Id;
}

/// <summary>
/// EF Core's migrations services, used the way EF's Migrator uses them: the assembly's migrations, the
/// history table's scripts and the provider's SQL generator on each migration's finalized target model.
/// So the SQL is exactly what dotnet ef database update would run, and __EFMigrationsHistory stays right.
/// </summary>
internal sealed class EfMigrations
{
    private readonly DbContext context;
    private readonly IMigrationsAssembly assembly;
    private readonly IHistoryRepository history;
    private readonly IMigrationsSqlGenerator generator;
    private readonly IModelRuntimeInitializer initializer;
    private readonly Dictionary<string, Migration> created = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MigrationDefinition> definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<RunnerCommand>> upCommands = new(StringComparer.Ordinal);

    public EfMigrations(DbContext context)
    {
        this.context = context;
        assembly = context.GetService<IMigrationsAssembly>();
        history = context.GetService<IHistoryRepository>();
        generator = context.GetService<IMigrationsSqlGenerator>();
        initializer = context.GetService<IModelRuntimeInitializer>();
        All = assembly.Migrations.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => new KnownMigration(m.Key, m.Value)).ToList();
    }

    public IReadOnlyList<KnownMigration> All { get; }

    public static string ProductVersion => ProductInfo.GetVersion();

    public string HistoryCreateScript => history.GetCreateIfNotExistsScript();

    public async Task<IReadOnlyList<string>> AppliedAsync(CancellationToken cancellationToken) =>
        (await history.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).Select(row => row.MigrationId).ToList();

    public KnownMigration? Find(string idOrName) => RunPlan.Find(All, idOrName);

    /// <summary>The migration, its operations built (Up and Down run now): a migration that throws is reported before anything of it runs.</summary>
    public Migration Create(KnownMigration migration)
    {
        Definition(migration);
        return created[migration.Id];
    }

    /// <summary>The migration as Core reads it (what it changes, what Down does, its contract mark): Core decides what that means.</summary>
    public MigrationDefinition Definition(KnownMigration migration)
    {
        if (!definitions.TryGetValue(migration.Id, out var definition))
        {
            try
            {
                var instance = assembly.CreateMigration(migration.Type, context.Database.ProviderName!);
                definition = EfMigrationReader.Read(migration.Id, migration.Type, instance, () => TargetModelFacts(instance));
                created[migration.Id] = instance;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var root = EfMigrationReader.Root(e);
                throw new SafeMigrationException(Core.Rules.RuleIds.MigrationFailed,
                    $"{migration.Id} could not be built: {root.GetType().Name}: {root.Message} Nothing of it ran; the migrations before it are applied. Fix its Up/Down (or its Designer), then run again.",
                    migration.Id, root);
            }

            definitions[migration.Id] = definition;
        }

        return definition;
    }

    /// <summary>The SQL of a migration's Up, generated once per run (the target model's finalization is the costly part).</summary>
    public IReadOnlyList<RunnerCommand> Up(KnownMigration migration)
    {
        if (!upCommands.TryGetValue(migration.Id, out var cached))
        {
            var instance = Create(migration);
            var commands = Generate(instance.UpOperations, instance.TargetModel);
            commands.Add(new RunnerCommand(history.GetInsertScript(new HistoryRow(migration.Id, ProductVersion)), InTransaction: true) { IsHistory = true });
            upCommands[migration.Id] = cached = commands;
        }

        return cached;
    }

    public IReadOnlyList<RunnerCommand> Down(KnownMigration migration, KnownMigration? previous)
    {
        var instance = Create(migration);
        if (Definition(migration) is { DownState: DownState.Throws } definition)
        {
            throw new SafeMigrationException(Core.Rules.RuleIds.RollbackRefused,
                $"{migration.Id} cannot be rolled back: its Down throws: {definition.DownFailure}", migration.Id);
        }

        var commands = Generate(instance.DownOperations, previous is null ? null : Create(previous).TargetModel);
        commands.Add(new RunnerCommand(history.GetDeleteScript(migration.Id), InTransaction: true) { IsHistory = true });
        return commands;
    }

    /// <summary>SHA-256 of the SQL a migration's Up runs (EF's history insert excluded: it names EF's version).</summary>
    public static string Checksum(IEnumerable<RunnerCommand> commands)
    {
        var text = new StringBuilder();
        foreach (var command in commands.Where(c => !c.IsHistory))
        {
            text.Append(command.InTransaction ? "T:" : "N:").Append(command.Sql.Replace("\r\n", "\n", StringComparison.Ordinal)).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }

    /// <summary>Expand or contract, as Core decides it for every front end.</summary>
    public MigrationPhase Phase(KnownMigration migration) => MigrationPhases.Of(Definition(migration));

    /// <summary>Why Down cannot give back what Up took, or null (Core's <see cref="Reversibility"/>).</summary>
    public string? Irreversible(KnownMigration migration) => Reversibility.WhyNot(Definition(migration));

    private ITargetModelFacts? TargetModelFacts(Migration instance) =>
        instance.TargetModel is { } model ? new TargetModelFacts(initializer.Initialize(model, designTime: true, validationLogger: null).GetRelationalModel()) : null;

    private List<RunnerCommand> Generate(IReadOnlyList<MigrationOperation> operations, IModel? targetModel)
    {
        var model = targetModel is null ? null : initializer.Initialize(targetModel, designTime: true, validationLogger: null);
        return generator.Generate(operations, model).Select(c => new RunnerCommand(c.CommandText, !c.TransactionSuppressed)).ToList();
    }
}
