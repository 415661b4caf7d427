using Microsoft.EntityFrameworkCore.Migrations;
using SafeMigrations;

#nullable disable

namespace MigrationsNamespace
{
    /// <summary>
    /// Contract: drops the trigger and OLD_COLUMN, which no running release reads any more. The runner keeps a
    /// backup of the column's values (safemig restore).
    /// </summary>
    [ContractMigration(Justification = "JUSTIFICATION_TEXT")]
    [SuppressMigrationRule("SM1011", Justification = "JUSTIFICATION_TEXT")]
    public partial class MigrationName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS ""FUNCTION_NAME"" ON ""SCHEMA_NAME"".""TABLE_NAME"";");
            migrationBuilder.Sql(@"DROP FUNCTION IF EXISTS ""SCHEMA_NAME"".""FUNCTION_NAME""();");
            migrationBuilder.DropColumn(
                name: "OLD_COLUMN",
                table: "TABLE_NAME",
                schema: "SCHEMA_NAME");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"ALTER TABLE ""SCHEMA_NAME"".""TABLE_NAME"" ADD COLUMN ""OLD_COLUMN"" OLD_COLUMN_TYPE;");
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

            // The old column's values, copied back in batches outside the transaction.
            migrationBuilder.Backfill(
                table: "TABLE_NAME",
//#if (key == "")
                keyColumn: null,
//#else
                keyColumn: "KEY_COLUMN",
//#endif
                set: @"""OLD_COLUMN"" = ""NEW_COLUMN""CAST_TO_OLD",
                where: @"""OLD_COLUMN"" IS NULL AND ""NEW_COLUMN"" IS NOT NULL",
                batchSize: BATCH_SIZE,
                schema: "SCHEMA_NAME");
        }
    }
}
