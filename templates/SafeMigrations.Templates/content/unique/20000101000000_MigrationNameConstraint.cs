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
            // Dropping the constraint drops its index too: build it again, as the previous migration left it.
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" DROP CONSTRAINT IF EXISTS ""INDEX_NAME"";");
            migrationBuilder.Sql(@"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ""INDEX_NAME"" ON ""SCHEMA_NAME"".""TABLE_NAME"" (COLUMN_LIST);", suppressTransaction: true);
        }
    }
}
