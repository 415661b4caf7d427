using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Core.Analysis;

/// <summary>Which way a rollback loses a table's or column's values.</summary>
public enum RollbackLossKind
{
    /// <summary>Up dropped it: Down re-creates it empty; its values are only in the runner's backup of the Up.</summary>
    DroppedByUp,

    /// <summary>Down drops it (the Down of an AddColumn, a CreateTable): the values written since Up are lost unless backed up.</summary>
    DroppedByDown,
}

/// <summary>A table or column whose values a rollback of <see cref="MigrationId"/> does not keep in place.</summary>
public sealed record RollbackLoss(string MigrationId, DroppedData Data, RollbackLossKind Kind)
{
    public string What => Data.Column is null ? "table " + Data.Table.Name : "column " + Data.Table.Name + "." + Data.Column;
}

/// <summary>
/// What a migration's Down gives back, decided once: the runner refuses a rollback (and an automatic rollback of a
/// failed run) on the reasons given here; SM1020 reports a Down that is missing, empty or throws.
/// </summary>
public static class Reversibility
{
    /// <summary>
    /// Why Down cannot run, or would leave Up's schema change in place, or null when it would not. An empty Down
    /// after an Up that changes no structure (a VALIDATE CONSTRAINT, a data update) leaves nothing behind. What data a
    /// rollback loses is <see cref="Losses"/>, judged with the database's counts.
    /// </summary>
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

        if (migration.DownState is DownState.Missing or DownState.Empty && !LeavesNothingBehind(migration))
        {
            return $"{migration.Id} has an empty Down: its changes would stay while the history says it is not applied";
        }

        return null;
    }

    /// <summary>The tables and columns whose values a rollback of the migration does not keep in place: what its Up dropped, and what its Down drops.</summary>
    public static IReadOnlyList<RollbackLoss> Losses(MigrationDefinition migration) =>
        migration is null
            ? []
            : Backups.Dropped(migration).Where(d => !DownRefills(migration, d)).Select(d => new RollbackLoss(migration.Id, d, RollbackLossKind.DroppedByUp))
                .Concat(Backups.Dropped(new MigrationDefinition(migration.Id, migration.DownOperations)).Select(d => new RollbackLoss(migration.Id, d, RollbackLossKind.DroppedByDown)))
                .ToList();

    /// <summary>The loss said with its numbers: how many values, where they are kept, and the command that puts them back.</summary>
    public static string Describe(RollbackLoss loss, long values, string? backupTable)
    {
        var name = MigrationName(loss.MigrationId);
        var count = values.ToString("N0", CultureInfo.InvariantCulture) + (loss.Data.Column is null ? (values == 1 ? " row" : " rows") : (values == 1 ? " row holds a value" : " rows hold a value"));
        return loss.Kind == RollbackLossKind.DroppedByDown
            ? $"{loss.MigrationId}'s Down drops {loss.What}, where {count}" + (backupTable is null ? string.Empty : $": backed up in {BackupSql.Schema}.{backupTable}; after applying it again, 'dotnet safemig restore --migration {name}' puts them back")
            : backupTable is null
                ? $"{loss.MigrationId} dropped {loss.What}: Down re-creates it empty, and no backup holds its values"
                : $"{loss.MigrationId} dropped {loss.What}: Down re-creates it empty, and {count} in {BackupSql.Schema}.{backupTable}; after the rollback, 'dotnet safemig restore --migration {name}' puts them back";
    }

    /// <summary>A migration's name without its timestamp, as rollback --to and restore --migration take it.</summary>
    public static string MigrationName(string migrationId) =>
        migrationId is { Length: > 15 } && migrationId[14] == '_' && migrationId.Take(14).All(char.IsDigit) ? migrationId.Substring(15) : migrationId;

    /// <summary>
    /// Down re-adds the column and fills it again (the expand/contract contract's Down copies the new column back): the
    /// rollback loses nothing there. Judged by an UPDATE of the table after the column is added back.
    /// </summary>
    private static bool DownRefills(MigrationDefinition migration, DroppedData dropped)
    {
        if (dropped.Column is null)
        {
            return false;
        }

        var down = MigrationAnalyzer.Expand(migration.DownOperations).Select(o => o.Operation).ToList();
        var added = down.FindIndex(o => o is AddColumnChange add && add.TableName == dropped.Table && add.Column.Name == dropped.Column);
        return added >= 0 && down.Skip(added + 1).Any(o => o is DataChange { Kind: DataChangeKind.Update } update && update.TableName == dropped.Table);
    }

    private static bool LeavesNothingBehind(MigrationDefinition migration) =>
        MigrationAnalyzer.Expand(migration.UpOperations).All(o => !o.Operation.IsSchemaChange || o.Operation is ValidateConstraintChange or DataChange or RawSqlChange);
}
