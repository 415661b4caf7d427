using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MigrationsNamespace
{
    /// <summary>
    /// Adds the constraint on the index built by the previous migration: ACCESS EXCLUSIVE, but only for the catalog
    /// change, no build and no scan (a primary key needs its columns NOT NULL already: see safemig-not-null).
    /// </summary>
    public partial class MigrationNameConstraint : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" ADD CONSTRAINT ""INDEX_NAME"" CONSTRAINT_KIND USING INDEX ""INDEX_NAME"";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Dropping the constraint drops its index too; the previous migration's Down finds nothing left to drop.
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" DROP CONSTRAINT IF EXISTS ""INDEX_NAME"";");
        }
    }
}
