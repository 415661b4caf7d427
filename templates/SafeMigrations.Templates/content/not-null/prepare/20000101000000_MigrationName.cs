using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MigrationsNamespace
{
    /// <summary>
    /// Adds CHECK ("COLUMN_NAME" IS NOT NULL) NOT VALID on SCHEMA_NAME.TABLE_NAME: a brief lock, no scan; from now on no
    /// row may get a NULL there. The next migration validates the existing rows.
    /// </summary>
    public partial class MigrationName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" ADD CONSTRAINT ""CHECK_NAME"" CHECK (""COLUMN_NAME"" IS NOT NULL) NOT VALID;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" DROP CONSTRAINT IF EXISTS ""CHECK_NAME"";");
        }
    }
}
