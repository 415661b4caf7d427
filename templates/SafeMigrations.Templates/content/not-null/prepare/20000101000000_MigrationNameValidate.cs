using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MigrationsNamespace
{
    /// <summary>
    /// Validates the check under SHARE UPDATE EXCLUSIVE (reads and writes go on). With it validated, PostgreSQL 12+
    /// sets NOT NULL without scanning the table: the migration EF scaffolds next is then cheap.
    /// </summary>
    public partial class MigrationNameValidate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" VALIDATE CONSTRAINT ""CHECK_NAME"";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: validating changes no structure; the previous migration's Down drops the check.
        }
    }
}
