using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MigrationsNamespace
{
    /// <summary>
    /// Adds constraint "CONSTRAINT_NAME" on SCHEMA_NAME.TABLE_NAME NOT VALID: a brief lock, no scan; new and updated rows
    /// are checked from now on. The next migration validates the existing rows.
    /// </summary>
    public partial class MigrationName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
//#if (kind == "foreign-key")
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" ADD CONSTRAINT ""CONSTRAINT_NAME"" FOREIGN KEY (COLUMN_LIST) REFERENCES ""SCHEMA_NAME"".""REFERENCED_TABLE"" (REFERENCED_LIST) ON DELETE ON_DELETE_SQL NOT VALID;");
//#else
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" ADD CONSTRAINT ""CONSTRAINT_NAME"" CHECK (CHECK_EXPRESSION) NOT VALID;");
//#endif
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" DROP CONSTRAINT IF EXISTS ""CONSTRAINT_NAME"";");
        }
    }
}
