using Microsoft.EntityFrameworkCore.Migrations;
using System;
using SafeMigrations;

#nullable disable

namespace MigrationsNamespace
{
    /// <summary>
    /// Contract: drops what the previous release stopped mapping. The runner backs up the values first (safemig restore).
    /// </summary>
//#if (column == "")
    [ContractMigration(Justification = "JUSTIFICATION_TEXT")]
    [SuppressMigrationRule("SM1012", Justification = "JUSTIFICATION_TEXT")]
    [SuppressMigrationRule("SM1020", Justification = "a dropped table cannot be put back by Down: its rows are in the runner's backup (schema safemigrations_backup)")]
//#else
    [ContractMigration(Justification = "JUSTIFICATION_TEXT")]
    [SuppressMigrationRule("SM1011", Justification = "JUSTIFICATION_TEXT")]
//#endif
    public partial class MigrationName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
//#if (column == "")
            migrationBuilder.DropTable(
                name: "TABLE_NAME",
                schema: "SCHEMA_NAME");
//#else
            migrationBuilder.DropColumn(
                name: "COLUMN_NAME",
                table: "TABLE_NAME",
                schema: "SCHEMA_NAME");
//#endif
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
//#if (column == "")
            throw new NotSupportedException("Table SCHEMA_NAME.TABLE_NAME was dropped by a contract migration and Down cannot bring it back: recreate it in a new migration and copy its rows from the runner's backup in schema safemigrations_backup.");
//#else
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" ADD COLUMN ""COLUMN_NAME"" COLUMN_TYPE;");
//#endif
        }
    }
}
