using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MigrationsNamespace
{
    /// <summary>
    /// Copies OLD_COLUMN into NEW_COLUMN for the rows written before the trigger, in batches outside a transaction:
    /// row locks last one batch.
    /// </summary>
    public partial class MigrationNameBackfill : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Batches of BATCH_SIZE rows along the key (the primary key unless --key names one), each committed on its own; the runner resumes after the
            // last batch if interrupted, and dotnet ef database update runs the same batches.
            migrationBuilder.Backfill(
                table: "TABLE_NAME",
//#if (key == "")
                keyColumn: null,
//#else
                keyColumn: "KEY_COLUMN",
//#endif
                set: @"""NEW_COLUMN"" = ""OLD_COLUMN""CAST_TO_NEW",
                where: @"""NEW_COLUMN"" IS NULL AND ""OLD_COLUMN"" IS NOT NULL",
                batchSize: BATCH_SIZE,
                schema: "SCHEMA_NAME");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the copied values go with NEW_COLUMN when the migration that added it is rolled back.
        }
    }
}
