using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql;
using SafeMigrations.Core.Rules;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Runtime;

/// <summary>
/// Before a migration takes its locks: does the data already satisfy what it is about to enforce? NULLs in a
/// column about to become NOT NULL, duplicates under a unique index or constraint, foreign keys pointing at
/// nothing. Failing here (SM4002) costs a count; failing in the ALTER costs a lock held through a full scan.
/// Tables and columns the migration creates itself are skipped (PostgreSQL reports them undefined).
/// </summary>
internal sealed class IntegrityPrecheck(NpgsqlConnection connection, Migration migration)
{
    public async Task RunAsync(string migrationId, CancellationToken cancellationToken)
    {
        var created = migration.UpOperations.OfType<CreateTableOperation>().Select(t => (t.Schema, t.Name)).ToHashSet();
        foreach (var operation in migration.UpOperations)
        {
            var (sql, what) = operation switch
            {
                AlterColumnOperation alter when !alter.IsNullable && alter.OldColumn.IsNullable && !created.Contains((alter.Schema, alter.Table)) =>
                    (RunnerSql.NullCount(alter.Schema, alter.Table, alter.Name), $"rows of {alter.Table} have NULL in {alter.Name}, which becomes NOT NULL: backfill them first"),
                CreateIndexOperation { IsUnique: true, Filter: null } index when !created.Contains((index.Schema, index.Table)) =>
                    (RunnerSql.DuplicateCount(index.Schema, index.Table, index.Columns), $"groups of rows of {index.Table} share ({string.Join(", ", index.Columns)}), which the unique index {index.Name} forbids: remove the duplicates first"),
                AddUniqueConstraintOperation unique when !created.Contains((unique.Schema, unique.Table)) =>
                    (RunnerSql.DuplicateCount(unique.Schema, unique.Table, unique.Columns), $"groups of rows of {unique.Table} share ({string.Join(", ", unique.Columns)}), which the unique constraint {unique.Name} forbids: remove the duplicates first"),
                AddForeignKeyOperation key when key.PrincipalColumns is { Length: > 0 } && !created.Contains((key.Schema, key.Table)) =>
                    (RunnerSql.OrphanCount(key.Schema, key.Table, key.Columns, key.PrincipalSchema, key.PrincipalTable, key.PrincipalColumns),
                        $"rows of {key.Table} point at no row of {key.PrincipalTable} through ({string.Join(", ", key.Columns)}), which the foreign key {key.Name} forbids: repair or delete them first"),
                _ => (null, null),
            };
            if (sql is null)
            {
                continue;
            }

            long count;
            try
            {
                await using var command = new NpgsqlCommand(sql, connection);
                count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (PostgresException e) when (e.SqlState is "42P01" or "42703")
            {
                continue; // the table or column comes with this migration or one before it in the same step
            }

            if (count > 0)
            {
                throw new SafeMigrationException(RuleIds.IntegrityCheckFailed,
                    $"{migrationId} was not started: {(count >= 1000 ? "1000 or more" : count.ToString(System.Globalization.CultureInfo.InvariantCulture))} {what}.", migrationId);
            }
        }
    }
}
