using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MigrationsNamespace
{
    /// <summary>
    /// Expand: a trigger keeps OLD_COLUMN and NEW_COLUMN of SCHEMA_NAME.TABLE_NAME in step (CREATE TRIGGER takes
    /// SHARE ROW EXCLUSIVE for a moment). Runs after the migration that added NEW_COLUMN.
    /// </summary>
    public partial class MigrationName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Keeps both columns in step, whichever one a release writes: the previous release writes OLD_COLUMN,
            // the next one NEW_COLUMN. Rows inserted with only one of them get the other.
            migrationBuilder.Sql(@"
CREATE OR REPLACE FUNCTION ""SCHEMA_NAME"".""FUNCTION_NAME""() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.""NEW_COLUMN"" IS NULL THEN
            NEW.""NEW_COLUMN"" := NEW.""OLD_COLUMN""CAST_TO_NEW;
        ELSIF NEW.""OLD_COLUMN"" IS NULL THEN
            NEW.""OLD_COLUMN"" := NEW.""NEW_COLUMN""CAST_TO_OLD;
        END IF;
    ELSIF NEW.""OLD_COLUMN"" IS DISTINCT FROM OLD.""OLD_COLUMN"" AND NEW.""NEW_COLUMN"" IS NOT DISTINCT FROM OLD.""NEW_COLUMN"" THEN
        NEW.""NEW_COLUMN"" := NEW.""OLD_COLUMN""CAST_TO_NEW;
    ELSIF NEW.""NEW_COLUMN"" IS DISTINCT FROM OLD.""NEW_COLUMN"" AND NEW.""OLD_COLUMN"" IS NOT DISTINCT FROM OLD.""OLD_COLUMN"" THEN
        NEW.""OLD_COLUMN"" := NEW.""NEW_COLUMN""CAST_TO_OLD;
    END IF;
    RETURN NEW;
END $$;");

            migrationBuilder.Sql(@"CREATE TRIGGER ""FUNCTION_NAME"" BEFORE INSERT OR UPDATE ON ""SCHEMA_NAME"".""TABLE_NAME"" FOR EACH ROW EXECUTE FUNCTION ""SCHEMA_NAME"".""FUNCTION_NAME""();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS ""FUNCTION_NAME"" ON ""SCHEMA_NAME"".""TABLE_NAME"";");
            migrationBuilder.Sql(@"DROP FUNCTION IF EXISTS ""SCHEMA_NAME"".""FUNCTION_NAME""();");
        }
    }
}
