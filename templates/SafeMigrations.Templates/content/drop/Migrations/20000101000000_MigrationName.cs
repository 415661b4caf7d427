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
    [SuppressMigrationRule("SM1020", Justification = "a dropped table's rows cannot be put back by Down: restore them from the backup (safemig restore)")]
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
            throw new NotSupportedException("Table SCHEMA_NAME.TABLE_NAME was dropped by a contract migration; restore it from the backup (safemig restore).");
//#else
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" ADD COLUMN ""COLUMN_NAME"" COLUMN_TYPE;");
//#endif
        }
    }
}
