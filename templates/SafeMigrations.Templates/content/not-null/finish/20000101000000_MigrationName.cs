using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MigrationsNamespace
{
    /// <summary>
    /// Drops the check that let SET NOT NULL skip its scan: the column's NOT NULL now does its job.
    /// </summary>
    public partial class MigrationName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" DROP CONSTRAINT IF EXISTS ""CHECK_NAME"";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" ADD CONSTRAINT ""CHECK_NAME"" CHECK (""COLUMN_NAME"" IS NOT NULL) NOT VALID;");
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" VALIDATE CONSTRAINT ""CHECK_NAME"";");
        }
    }
}
