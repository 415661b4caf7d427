using Microsoft.EntityFrameworkCore.Migrations;
using System;

#nullable disable

namespace MigrationsNamespace
{
    /// <summary>
    /// Updates SCHEMA_NAME.TABLE_NAME in batches of BATCH_SIZE rows along the key (the primary key unless --key names one), each committed on its own outside
    /// a transaction: row locks last one batch, a crash loses at most one, and the next run resumes (the runner keeps a
    /// cursor; the WHERE condition selects only rows still to do).
    /// </summary>
    public partial class MigrationName : Migration
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
                set: @"SET_SQL",
                where: @"WHERE_SQL",
                batchSize: BATCH_SIZE,
                schema: "SCHEMA_NAME",
                pause: TimeSpan.FromMilliseconds(PAUSE_MS));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: a data backfill is not reverted (the values it wrote stay valid).
        }
    }
}
