using Npgsql;
using NpgsqlTypes;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Runtime;

/// <summary>A loss of a rollback (Core's <see cref="Reversibility.Losses"/>) with the database's numbers: how many values, which backup holds them.</summary>
internal sealed record MeasuredLoss(RollbackLoss Loss, long Values, string? BackupTable)
{
    /// <summary>Values a rollback would take away: a Down drop over data, or an Up drop whose values a backup holds.</summary>
    public bool LosesValues => Values > 0;

    public string Description => Reversibility.Describe(Loss, Values, BackupTable);
}

/// <summary>Counts what rolling migrations back would lose, so a refusal names the real loss and nothing else.</summary>
internal static class RollbackLosses
{
    public static async Task<IReadOnlyList<MeasuredLoss>> MeasureAsync(NpgsqlConnection connection, IEnumerable<MigrationDefinition> migrations, CancellationToken cancellationToken)
    {
        var measured = new List<MeasuredLoss>();
        foreach (var loss in migrations.SelectMany(Reversibility.Losses))
        {
            if (loss.Kind == RollbackLossKind.DroppedByDown)
            {
                // Down drops it: what it holds now is what the rollback would lose.
                var relation = RunnerSql.Qualified(loss.Data.Table.Schema, loss.Data.Table.Name);
                var schema = await ScalarAsync(connection, BackupSql.RelationSchema, cancellationToken, ("table", relation)) as string;
                var values = schema is null ? 0 : await CountAsync(connection, BackupSql.CountValues(schema, loss.Data.Table.Name, loss.Data.Column), cancellationToken);
                measured.Add(new MeasuredLoss(loss, values, null));
            }
            else
            {
                // Up dropped it: its values are only in the Up's backup, if the runner took one.
                var backup = await NewestBackupAsync(connection, loss, cancellationToken);
                var values = backup is null ? 0 : await CountAsync(connection, BackupSql.CountValues(BackupSql.Schema, backup, loss.Data.Column), cancellationToken);
                measured.Add(new MeasuredLoss(loss, values, backup));
            }
        }

        return measured;
    }

    /// <summary>The newest backup of the loss's table or column, taken by the step that dropped it.</summary>
    public static async Task<string?> NewestBackupAsync(NpgsqlConnection connection, RollbackLoss loss, CancellationToken cancellationToken) =>
        await RunnerTables.ExistAsync(connection, BackupSql.Exists, cancellationToken).ConfigureAwait(false)
            ? await ScalarAsync(connection, BackupSql.Find, cancellationToken,
                ("migration", loss.MigrationId), ("table", loss.Data.Table.Name), ("column", (object?)loss.Data.Column ?? DBNull.Value),
                ("direction", loss.Kind == RollbackLossKind.DroppedByDown ? "down" : "up")).ConfigureAwait(false) as string
            : null;

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync(connection, sql, cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = value });
        }

        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is DBNull ? null : result;
    }
}
