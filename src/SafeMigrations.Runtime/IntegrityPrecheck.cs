using System.Globalization;
using Npgsql;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Runtime;

/// <summary>
/// Runs Core's prechecks of a migration before it takes its locks (NULLs about to become NOT NULL, duplicates under a
/// unique index or constraint, orphans under a foreign key): a count here instead of a lock held through a failing scan.
/// </summary>
internal static class IntegrityPrecheck
{
    public static async Task RunAsync(NpgsqlConnection connection, MigrationDefinition migration, CancellationToken cancellationToken)
    {
        foreach (var check in Prechecks.For(migration))
        {
            long count;
            try
            {
                await using var command = new NpgsqlCommand(check.Sql, connection);
                count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn)
            {
                continue; // the table or column comes with this migration or one before it in the same step
            }

            if (count > 0)
            {
                throw new SafeMigrationException(RuleIds.IntegrityCheckFailed,
                    $"{migration.Id} was not started: {(count >= 1000 ? "1000 or more" : count.ToString(CultureInfo.InvariantCulture))} {check.Problem}.", migration.Id);
            }
        }
    }
}
