using static SafeMigrations.Analyzers.Tests.MigrationSources;

namespace SafeMigrations.Analyzers.Tests;

[TestClass]
public sealed class MigrationCodeAnalyzerTests
{
    private static Task VerifyUpAsync(string up, string? down = "migrationBuilder.Sql(\"SELECT 1\");", string attributes = "", string? globalConfig = null) =>
        AnalyzerVerifier.VerifyAsync(globalConfig, Context, Migration("AddThing", up, down, attributes), Designer("AddThing", "20261124000000_AddThing"));

    [TestMethod]
    public Task A_plain_index_on_an_existing_table_is_reported_at_the_call() => VerifyUpAsync("""
        {|SM1001:migrationBuilder.CreateIndex(
                        name: "IX_todo_items_title",
                        table: "todo_items",
                        column: "title")|};
        """);

    [TestMethod]
    public Task A_concurrent_index_alone_through_the_annotation_chain_is_clean() => VerifyUpAsync("""
        migrationBuilder.CreateIndex(
                        name: "IX_todo_items_due_date",
                        table: "todo_items",
                        column: "due_date")
                        .Annotation("Npgsql:CreatedConcurrently", true);
        """);

    [TestMethod]
    public Task EFs_drop_and_concurrent_create_in_one_migration_reports_both_problems() => VerifyUpAsync("""
        {|SM1002:migrationBuilder.DropIndex(
                        name: "IX_todo_items_owner_id",
                        table: "todo_items")|};

                    {|SM1003:migrationBuilder.CreateIndex(
                        name: "IX_todo_items_owner_id_completed",
                        table: "todo_items",
                        columns: new[] { "owner_id", "completed" })|}
                        .Annotation("Npgsql:CreatedConcurrently", true);
        """);

    [TestMethod]
    public Task Indexes_on_a_table_created_in_the_same_migration_are_clean() => VerifyUpAsync("""
        migrationBuilder.CreateTable(
                        name: "users",
                        columns: table => new
                        {
                            id = table.Column<long>(type: "bigint", nullable: false)
                                .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                            email = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                            created_at = table.Column<System.DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                        },
                        constraints: table =>
                        {
                            table.PrimaryKey("PK_users", x => x.id);
                        });

                    migrationBuilder.CreateIndex(
                        name: "IX_users_email",
                        table: "users",
                        column: "email",
                        unique: true);
        """, down: "migrationBuilder.DropTable(name: \"users\");");

    [TestMethod]
    public Task An_int_primary_key_on_a_new_table_is_information() => VerifyUpAsync("""
        {|SM1024:migrationBuilder.CreateTable(
                        name: "tags",
                        columns: table => new
                        {
                            Id = table.Column<int>(type: "integer", nullable: false),
                            Name = table.Column<string>(type: "text", nullable: false)
                        },
                        constraints: table =>
                        {
                            table.PrimaryKey("PK_tags", x => x.Id);
                        })|};
        """, down: "migrationBuilder.DropTable(name: \"tags\");");

    [TestMethod]
    public Task A_required_column_without_any_default_fails_on_a_populated_table() => VerifyUpAsync("""
        {|SM1004:migrationBuilder.AddColumn<int>(
                        name: "rank",
                        table: "todo_items",
                        type: "integer",
                        nullable: false)|};

                    migrationBuilder.AddColumn<int>(
                        name: "priority",
                        table: "todo_items",
                        type: "integer",
                        nullable: false,
                        defaultValue: 2);
        """);

    [TestMethod]
    public Task Positional_and_named_arguments_bind_the_same_way() => VerifyUpAsync("""
        {|SM1009:migrationBuilder.RenameColumn("title", "todo_items", "name")|};
                    {|SM1011:migrationBuilder.DropColumn(table: "todo_items", name: "description")|};
        """);

    [TestMethod]
    public Task Type_changes_use_the_old_type_to_tell_a_rewrite_from_a_safe_widening() => VerifyUpAsync("""
        migrationBuilder.AlterColumn<string>(
                        name: "title",
                        table: "todo_items",
                        type: "character varying(500)",
                        maxLength: 500,
                        nullable: false,
                        oldClrType: typeof(string),
                        oldType: "character varying(255)",
                        oldMaxLength: 255);

                    {|SM1006:migrationBuilder.AlterColumn<long>(
                        name: "priority",
                        table: "todo_items",
                        type: "bigint",
                        nullable: false,
                        oldClrType: typeof(int),
                        oldType: "integer")|};

                    {|SM1007:migrationBuilder.AlterColumn<string>(
                        name: "description",
                        table: "todo_items",
                        type: "text",
                        nullable: false,
                        oldClrType: typeof(string),
                        oldType: "text",
                        oldNullable: true)|};
        """);

    [TestMethod]
    public Task Raw_sql_is_split_and_every_statement_judged_at_the_sql_call() => VerifyUpAsync("""
        {|SM1011:{|SM1017:migrationBuilder.Sql("UPDATE todo_items SET title = 'x' WHERE id = 1; ALTER TABLE todo_items DROP COLUMN notes;")|}|};
                    migrationBuilder.Sql("COMMENT ON TABLE todo_items IS 'tasks; one per row';");
        """);

    [TestMethod]
    public Task Sql_built_at_run_time_is_reported_as_unanalyzable_information() => VerifyUpAsync("""
        var table = "todo_items";
                    {|SM1018:migrationBuilder.Sql("ANALYZE " + table)|};
        """);

    [TestMethod]
    public Task A_justified_suppression_silences_the_rule() => VerifyUpAsync(
        "migrationBuilder.DropColumn(name: \"description\", table: \"todo_items\");",
        attributes: "[SafeMigrations.SuppressMigrationRule(\"SM1011\", Justification = \"unmapped since release 4.2\")]");

    [TestMethod]
    public Task A_suppression_without_justification_is_SM0001_and_not_applied() => VerifyUpAsync(
        "{|SM1011:migrationBuilder.DropColumn(name: \"description\", table: \"todo_items\")|};",
        attributes: "[{|SM0001:SafeMigrations.SuppressMigrationRule(\"SM1011\")|}]");

    [TestMethod]
    public Task A_suppression_that_suppresses_nothing_is_SM0002() => VerifyUpAsync(
        "migrationBuilder.AddColumn<int>(name: \"rank\", table: \"todo_items\", nullable: true);",
        attributes: "[{|SM0002:SafeMigrations.SuppressMigrationRule(\"SM1009\", Justification = \"left over\")|}]");

    [TestMethod]
    public Task A_schema_change_without_down_is_reported_on_the_class() =>
        AnalyzerVerifier.VerifyAsync(null, Context, """
            using Microsoft.EntityFrameworkCore.Migrations;

            namespace Todo.Backend.Migrations
            {
                public partial class {|SM1020:AddRank|} : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        migrationBuilder.AddColumn<int>(name: "rank", table: "todo_items", nullable: true);
                    }
                }
            }
            """, Designer("AddRank", "20261124000000_AddRank"));

    [TestMethod]
    public Task A_Down_in_another_partial_file_is_read_too() =>
        AnalyzerVerifier.VerifyAsync("safemigrations.check_down = true\n", Context, """
            using Microsoft.EntityFrameworkCore.Migrations;

            namespace Todo.Backend.Migrations
            {
                public partial class AddRank : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        migrationBuilder.AddColumn<int>(name: "rank", table: "todo_items", nullable: true);
                    }
                }
            }
            """, """
            using Microsoft.EntityFrameworkCore.Migrations;

            namespace Todo.Backend.Migrations
            {
                public partial class AddRank
                {
                    protected override void Down(MigrationBuilder migrationBuilder)
                    {
                        {|SM1001:migrationBuilder.CreateIndex(name: "IX_todo_items_title", table: "todo_items", column: "title")|};
                    }
                }
            }
            """, Designer("AddRank", "20261124000000_AddRank"));

    [TestMethod]
    public Task A_baseline_from_msbuild_exempts_older_migrations() => VerifyUpAsync(
        "migrationBuilder.DropColumn(name: \"description\", table: \"todo_items\");",
        globalConfig: "build_property.SafeMigrationsBaseline = 20261124000000_AddThing\n");

    [TestMethod]
    public Task The_target_version_comes_from_editorconfig() => VerifyUpAsync("""
        migrationBuilder.AddColumn<int>(name: "score", table: "todo_items", nullable: true, computedColumnSql: "priority * 10");
        """, globalConfig: "safemigrations.target_postgres_version = 18\n");

    [TestMethod]
    public Task Enum_values_removed_through_npgsql_annotations_are_reported() => VerifyUpAsync("""
        {|SM1022:migrationBuilder.AlterDatabase()|}
                        .Annotation("Npgsql:Enum:task_status", "open,done")
                        .OldAnnotation("Npgsql:Enum:task_status", "open,done,archived");
        """);

    [TestMethod]
    public async Task A_compilation_without_ef_core_gets_no_diagnostics()
    {
        var test = AnalyzerVerifier.Create(AnalyzerVerifier.FrameworkOnlyReferences);
        test.TestState.Sources.Add("""
            namespace App
            {
                public class Migration { }
                public class MigrationBuilder { public void DropColumn(string name, string table) { } }
                public class DropIt : Migration
                {
                    public void Up(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn("a", "b");
                }
            }
            """);
        await test.RunAsync();
    }

    private const string AddNotNullCheck = """
        migrationBuilder.Sql("ALTER TABLE \"todo_items\" ADD CONSTRAINT \"ck_title_not_null\" CHECK (\"title\" IS NOT NULL) NOT VALID;");
        """;

    private const string ValidateNotNullCheck = """
        migrationBuilder.Sql("ALTER TABLE \"todo_items\" VALIDATE CONSTRAINT \"ck_title_not_null\";");
        """;

    private const string SetTitleNotNull = """
        {|#0:migrationBuilder.AlterColumn<string>(
                        name: "title",
                        table: "todo_items",
                        type: "text",
                        nullable: false,
                        oldClrType: typeof(string),
                        oldType: "text",
                        oldNullable: true)|};
        """;

    private static string[] Recipe(params (string Id, string Up)[] migrations) =>
        [Context, .. migrations.SelectMany(m => new[]
        {
            Migration("Step" + m.Id, m.Up),
            Designer("Step" + m.Id, "20261124" + m.Id + "_Step" + m.Id),
        })];

    [TestMethod]
    public Task Setting_not_null_after_earlier_migrations_added_and_validated_the_check_is_clean() =>
        AnalyzerVerifier.VerifyAsync(Recipe(("000001", AddNotNullCheck), ("000002", ValidateNotNullCheck), ("000003", SetTitleNotNull.Replace("{|#0:", "").Replace(")|};", ");"))));

    [TestMethod]
    public Task Setting_not_null_is_reported_when_no_earlier_migration_validated_the_check() =>
        AnalyzerVerifier.VerifyAsync(Recipe(("000001", AddNotNullCheck), ("000003", SetTitleNotNull.Replace("{|#0:", "{|SM1007:"))));

    [TestMethod]
    public Task Only_migrations_ordered_before_count_as_history() =>
        AnalyzerVerifier.VerifyAsync(Recipe(("000001", SetTitleNotNull.Replace("{|#0:", "{|SM1007:")), ("000002", AddNotNullCheck), ("000003", ValidateNotNullCheck)));
}
