using System.Linq;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Analysis;

/// <summary>
/// What a migration's Down gives back, decided once: the runner refuses a rollback (and an automatic rollback of a
/// failed run) on the reason given here; SM1020 reports a Down that is missing, empty or throws.
/// </summary>
public static class Reversibility
{
    /// <summary>Why running Down would not give back what Up took, or null when it would.</summary>
    public static string? WhyNot(MigrationDefinition migration)
    {
        if (migration is null)
        {
            return null;
        }

        if (migration.DownState == DownState.Throws)
        {
            return $"{migration.Id}'s Down throws" + (migration.DownFailure is { Length: > 0 } failure ? $" ({failure.TrimEnd('.')})" : string.Empty);
        }

        if (migration.DownState is DownState.Missing or DownState.Empty && migration.UpOperations.Count > 0)
        {
            return $"{migration.Id} has an empty Down";
        }

        var operations = MigrationAnalyzer.Expand(migration.UpOperations);
        var created = CreatedObjects.In(operations);
        return operations.FirstOrDefault(o => o.Operation is DropTableChange or DropColumnChange && created.IsExistingTable(o.Operation.Table!.Value, o.Index))?.Operation switch
        {
            DropTableChange table => $"{migration.Id} dropped table {table.Name.Name}: Down re-creates it empty (restore its rows from the backup with safemig restore)",
            DropColumnChange column => $"{migration.Id} dropped column {column.TableName.Name}.{column.Column}: Down re-creates it empty (restore it from the backup with safemig restore)",
            _ => null,
        };
    }
}
