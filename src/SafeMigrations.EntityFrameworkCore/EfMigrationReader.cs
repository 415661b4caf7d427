using System.Reflection;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.EntityFrameworkCore;

/// <summary>
/// Reads an EF Core migration as Core's <see cref="MigrationDefinition"/>, the same way for the design host (the
/// build gate, safemig) and the runner: Up and Down mapped, completed with the target model where a change needs
/// it, what Down does, and the [ContractMigration] mark. What the migration means (its phase, what Down gives
/// back, what to check and back up first) is then Core's to say.
/// </summary>
internal static class EfMigrationReader
{
    /// <summary>Matched by name: the app's copy of SafeMigrations.Abstractions, whatever its version.</summary>
    public const string ContractAttribute = "SafeMigrations.ContractMigrationAttribute";

    public const string DeclineBackupAttribute = "SafeMigrations.DeclineBackupAttribute";

    /// <summary>The migration's Up (what EF throws building it, it throws), Down and its state, and its contract mark.</summary>
    /// <param name="targetModel">Asked only when a change needs it (a filled-in default, a type change).</param>
    /// <param name="locateUp">Where Up's operation at an index was written; null: the class's location.</param>
    public static MigrationDefinition Read(
        string id, Type type, Migration migration, Func<ITargetModelFacts?> targetModel, Func<int, SourceLocation?>? locateUp = null, SourceLocation? classLocation = null)
    {
        var up = Changes(migration.UpOperations, targetModel, i => locateUp?.Invoke(i) ?? classLocation);
        IReadOnlyList<MigrationOperation> down = [];
        var state = DownState.Present;
        string? failure = null;
        try
        {
            down = migration.DownOperations;
            if (down.Count == 0)
            {
                state = DeclaresDown(type) ? DownState.Empty : DownState.Missing;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever it throws (NotSupportedException by convention), EF cannot run it.
            state = DownState.Throws;
            failure = Root(e).Message;
        }

        return new MigrationDefinition(id, up)
        {
            DownOperations = down.SelectMany(o => EfOperationMapper.Map(o, classLocation)).ToList(),
            DownState = state,
            DownFailure = failure,
            IsContractStep = type.CustomAttributes.Any(a => a.AttributeType.FullName == ContractAttribute),
            ContextName = type.GetCustomAttribute<DbContextAttribute>()?.ContextType.Name,
            BackupDeclined = BackupDeclinedBecause(type),
            Location = classLocation,
        };
    }

    /// <summary>The justification of the migration's [DeclineBackup]; null without the attribute or without a justification.</summary>
    private static string? BackupDeclinedBecause(Type type)
    {
        var attribute = type.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == DeclineBackupAttribute);
        var justification = attribute?.NamedArguments.Where(a => a.MemberName == "Justification").Select(a => a.TypedValue.Value as string).FirstOrDefault();
        return string.IsNullOrWhiteSpace(justification) ? null : justification;
    }

    /// <summary>EF operations as Core's changes, completed with the target model when one of them needs it.</summary>
    public static IReadOnlyList<SchemaChange> Changes(IReadOnlyList<MigrationOperation> operations, Func<ITargetModelFacts?> targetModel, Func<int, SourceLocation?>? locate = null)
    {
        var changes = operations.SelectMany((o, i) => EfOperationMapper.Map(o, locate?.Invoke(i))).ToList();
        return changes.Any(TargetModelCompletion.Needs) ? TargetModelCompletion.Complete(changes, targetModel()) : changes;
    }

    /// <summary>The exception a migration's code threw, out of EF's and reflection's wrappers.</summary>
    public static Exception Root(Exception e)
    {
        while ((e is TargetInvocationException || e.InnerException is not null) && e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private static bool DeclaresDown(Type type) =>
        type.GetMethod("Down", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, [typeof(MigrationBuilder)])?.DeclaringType == type;
}
