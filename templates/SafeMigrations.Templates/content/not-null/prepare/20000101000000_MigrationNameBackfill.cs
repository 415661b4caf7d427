using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MigrationsNamespace
{
    /// <summary>
    /// Fills the NULLs of COLUMN_NAME in batches of BATCH_SIZE rows along the key (the primary key unless --key names one), each committed on its own outside a
    /// transaction (row locks last one batch); the check already keeps new NULLs out, so validation then succeeds.
    /// </summary>
    public partial class MigrationNameBackfill : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Backfill(
                table: "TABLE_NAME",
//#if (key == "")
                keyColumn: null,
//#else
                keyColumn: "KEY_COLUMN",
//#endif
                set: @"BACKFILL_SQL",
                where: @"""COLUMN_NAME"" IS NULL",
                batchSize: BATCH_SIZE,
                schema: "SCHEMA_NAME");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the values written stay valid.
        }
    }
}
