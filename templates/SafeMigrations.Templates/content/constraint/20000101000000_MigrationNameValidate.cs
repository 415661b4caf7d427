using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MigrationsNamespace
{
    /// <summary>
    /// Validates constraint "CONSTRAINT_NAME" against the existing rows under SHARE UPDATE EXCLUSIVE: reads and writes go
    /// on during the scan (a foreign key also takes ROW SHARE on the referenced table).
    /// </summary>
    public partial class MigrationNameValidate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" VALIDATE CONSTRAINT ""CONSTRAINT_NAME"";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: validating changes no structure; the previous migration's Down drops the constraint.
        }
    }
}
