using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

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
    private readonly Dictionary<string, Exception> downFailures = new(StringComparer.Ordinal);
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

    public KnownMigration? Find(string idOrName) =>
        All.FirstOrDefault(m => string.Equals(m.Id, idOrName, StringComparison.Ordinal))
        ?? All.FirstOrDefault(m => string.Equals(m.Name, idOrName, StringComparison.OrdinalIgnoreCase));

    /// <summary>The migration, its operations built (Up and Down run now): a migration that throws is reported before anything of it runs.</summary>
    public Migration Create(KnownMigration migration)
    {
        if (!created.TryGetValue(migration.Id, out var instance))
        {
            try
            {
                instance = assembly.CreateMigration(migration.Type, context.Database.ProviderName!);
                _ = instance.UpOperations;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var root = Root(e);
                throw new SafeMigrationException(Core.Rules.RuleIds.DesignHostFailed,
                    $"{migration.Id} could not be built: {root.GetType().Name}: {root.Message} Nothing of it ran; the migrations before it are applied. Fix its Up/Down (or its Designer), then run again.",
                    migration.Id, root);
            }

            // A Down that throws declares the migration irreversible: that matters to a rollback, not to applying it.
            try
            {
                _ = instance.DownOperations;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                downFailures[migration.Id] = Root(e);
            }

            created[migration.Id] = instance;
        }

        return instance;
    }

    /// <summary>Why the migration's Down cannot run (it throws), or null.</summary>
    public Exception? DownFailure(KnownMigration migration)
    {
        Create(migration);
        return downFailures.GetValueOrDefault(migration.Id);
    }

    private static Exception Root(Exception e) => e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;

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
        if (DownFailure(migration) is { } failure)
        {
            throw new SafeMigrationException(Core.Rules.RuleIds.DesignHostFailed,
                $"{migration.Id} cannot be rolled back: its Down throws: {failure.Message}", migration.Id, failure);
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

    /// <summary>Contract when marked [ContractMigration] (matched by name: the app's copy of the attribute) or when it drops, renames or tightens.</summary>
    public MigrationPhase Phase(KnownMigration migration)
    {
        if (migration.Type.GetCustomAttributes(inherit: false).Any(a => a.GetType().FullName == "SafeMigrations.ContractMigrationAttribute"))
        {
            return MigrationPhase.Contract;
        }

        return Create(migration).UpOperations.Any(IsContract) ? MigrationPhase.Contract : MigrationPhase.Expand;
    }

    /// <summary>Why Down cannot give back what Up took, or null: data a drop destroyed does not come back with the column.</summary>
    public string? Irreversible(KnownMigration migration)
    {
        var instance = Create(migration);
        if (DownFailure(migration) is { } failure)
        {
            return $"{migration.Id}'s Down throws ({failure.Message})";
        }

        if (instance.DownOperations.Count == 0 && instance.UpOperations.Count > 0)
        {
            return $"{migration.Id} has an empty Down";
        }

        var drop = instance.UpOperations.FirstOrDefault(o => o is DropTableOperation or DropColumnOperation);
        return drop switch
        {
            DropTableOperation table => $"{migration.Id} dropped table {table.Name}: Down re-creates it empty (restore its rows from the backup with safemig restore)",
            DropColumnOperation column => $"{migration.Id} dropped column {column.Table}.{column.Name}: Down re-creates it empty (restore it from the backup with safemig restore)",
            _ => null,
        };
    }

    private static bool IsContract(MigrationOperation operation) => operation switch
    {
        DropTableOperation or DropColumnOperation or RenameColumnOperation or RenameTableOperation or DropSchemaOperation => true,
        AlterColumnOperation alter => !alter.IsNullable && alter.OldColumn.IsNullable,
        _ => false,
    };

    private List<RunnerCommand> Generate(IReadOnlyList<MigrationOperation> operations, IModel? targetModel)
    {
        var model = targetModel is null ? null : initializer.Initialize(targetModel, designTime: true, validationLogger: null);
        return generator.Generate(operations, model).Select(c => new RunnerCommand(c.CommandText, !c.TransactionSuppressed)).ToList();
    }
}
