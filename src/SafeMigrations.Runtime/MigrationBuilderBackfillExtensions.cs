using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;
using SafeMigrations.Core.Runner;

namespace Microsoft.EntityFrameworkCore.Migrations;

/// <summary><c>migrationBuilder.Backfill(…)</c>: a data update in batches, for migrations.</summary>
public static class MigrationBuilderBackfillExtensions
{
    /// <summary>
    /// Updates the rows of <paramref name="table"/> that match <paramref name="where"/> with <paramref name="set"/>,
    /// <paramref name="batchSize"/> rows at a time along <paramref name="keyColumn"/> (null or empty: the table's primary key,
    /// a single column, looked up when the backfill runs), each
    /// batch committed on its own, outside the migration's transaction: row locks are held for one batch only.
    /// <paramref name="where"/> must select the rows still to do (<c>"email IS NULL"</c>), so a batch never
    /// takes a row twice. The runner keeps a cursor (a crash resumes after the last batch), reports progress and
    /// pauses between batches; dotnet ef database update and Migrate() run the same batches in a DO block.
    /// Put it in a migration of its own, after the migration that adds the column.
    /// </summary>
    public static OperationBuilder<Operations.SqlOperation> Backfill(
        this MigrationBuilder migrationBuilder, string table, string? keyColumn, string set, string where, int batchSize = 1000, string? schema = null, TimeSpan? pause = null)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var spec = new BackfillSpec(schema, table, keyColumn ?? string.Empty, set, where, batchSize, (int)(pause ?? TimeSpan.Zero).TotalMilliseconds);
        return migrationBuilder.Sql(BackfillSql.Statement(spec), suppressTransaction: true);
    }
}
