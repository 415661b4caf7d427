using Microsoft.EntityFrameworkCore.Migrations;
using SafeMigrations;

#nullable disable

namespace MigrationsNamespace
{
    /// <summary>
    /// Builds unique index "INDEX_NAME" on SCHEMA_NAME.TABLE_NAME concurrently (SHARE UPDATE EXCLUSIVE: traffic goes on),
    /// alone and outside a transaction. The next migration turns it into the constraint.
    /// </summary>
    [SuppressMigrationRule("SM1003", Justification = "The first statement only drops an INVALID index left by a failed build of this migration, and both statements can run again: EF committing between them loses nothing.")]
    [SuppressMigrationRule("SM1018", Justification = "The DO block drops only an INVALID index of this name (left by a failed build), under a 5 s lock_timeout when none is set.")]
    public partial class MigrationName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A failed concurrent build leaves an INVALID index behind, which IF NOT EXISTS would then keep:
            // drop it first (only an invalid one; the lock is brief, the index holds no usable data).
            migrationBuilder.Sql(@"
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_index i
               JOIN pg_class c ON c.oid = i.indexrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'SCHEMA_NAME' AND c.relname = 'INDEX_NAME' AND NOT i.indisvalid) THEN
        IF current_setting('lock_timeout') = '0' THEN
            PERFORM set_config('lock_timeout', '5s', true);
        END IF;
        DROP INDEX ""SCHEMA_NAME"".""INDEX_NAME"";
    END IF;
END $$;");

            migrationBuilder.Sql(@"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ""INDEX_NAME"" ON ""SCHEMA_NAME"".""TABLE_NAME"" (COLUMN_LIST);", suppressTransaction: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"DROP INDEX CONCURRENTLY IF EXISTS ""SCHEMA_NAME"".""INDEX_NAME"";", suppressTransaction: true);
        }
    }
}
