using Microsoft.CodeAnalysis.Testing;
using SafeMigrations.Analyzers.CodeFixes;
using static SafeMigrations.Analyzers.Tests.MigrationSources;

namespace SafeMigrations.Analyzers.Tests;

[TestClass]
public sealed class CodeFixTests
{
    private const string Id = "20261124000000_AddThing";
    private const string Name = "AddThing";

    private static async Task VerifyAsync<TFix>(string up, string down, string fixedUp, string fixedDown, (string Name, string Text)? added = null, string? key = null,
        string attributes = "", string fixedAttributes = "", string fixedUsings = "")
        where TFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
    {
        var test = CodeFixVerifier.Create<TFix>(key);
        // A diagnostic the fix leaves (SM1011 under an unfilled suppression) is expected; SQL's $$ is text, not markup.
        test.FixedState.MarkupHandling = fixedUp.Contains("$$", StringComparison.Ordinal) || added?.Text.Contains("$$", StringComparison.Ordinal) == true ? MarkupMode.None : MarkupMode.Allow;
        if (added is not null)
        {
            // Fixes that add a migration are not offered as fix-all: each one is a migration of its own.
            test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipFixAllCheck;
        }

        CodeFixVerifier.AddUnchanged(test.TestState, Name, Id);
        test.TestState.Sources.Add(($"/0/{Id}.cs", Migration(Name, up, down, attributes)));
        CodeFixVerifier.AddUnchanged(test.FixedState, Name, Id);
        var fixedMigration = Migration(Name, fixedUp, fixedDown, fixedAttributes);
        if (fixedUsings.Length > 0)
        {
            fixedMigration = fixedMigration.Replace("using Microsoft.EntityFrameworkCore.Migrations;\n", "using Microsoft.EntityFrameworkCore.Migrations;\n" + fixedUsings, StringComparison.Ordinal);
        }

        test.FixedState.Sources.Add(($"/0/{Id}.cs", fixedMigration));
        if (added is { } file)
        {
            test.FixedState.Sources.Add(file);
        }

        await test.RunAsync();
    }

    [TestMethod]
    public Task SM1001_alone_in_its_migration_gets_cores_rerunnable_concurrent_build() => VerifyAsync<CreateIndexConcurrentlyCodeFix>(
        """
        {|SM1001:migrationBuilder.CreateIndex(
                        name: "IX_todo_items_title",
                        table: "todo_items",
                        column: "title")|};
        """,
        "migrationBuilder.DropIndex(name: \"IX_todo_items_title\", table: \"todo_items\");",
        DropIfInvalid("IX_todo_items_title") + "\n\n            " + CreateConcurrently("IX_todo_items_title", "title"),
        "migrationBuilder.DropIndex(name: \"IX_todo_items_title\", table: \"todo_items\");",
        fixedAttributes: RerunnableSuppressions);

    [TestMethod]
    public Task SM1001_a_filtered_index_Core_does_not_write_gets_the_concurrent_annotation() => VerifyAsync<CreateIndexConcurrentlyCodeFix>(
        """
        {|SM1001:migrationBuilder.CreateIndex(
                        name: "IX_todo_items_title",
                        table: "todo_items",
                        column: "title",
                        filter: "title IS NOT NULL")|};
        """,
        "migrationBuilder.DropIndex(name: \"IX_todo_items_title\", table: \"todo_items\");",
        """
        migrationBuilder.CreateIndex(
                        name: "IX_todo_items_title",
                        table: "todo_items",
                        column: "title",
                        filter: "title IS NOT NULL")
                        .Annotation("Npgsql:CreatedConcurrently", true);
        """,
        "migrationBuilder.DropIndex(name: \"IX_todo_items_title\", table: \"todo_items\");");

    private static string DropIfInvalid(string index) => """
        migrationBuilder.Sql("DO $$\nBEGIN\n    IF EXISTS (SELECT FROM pg_index i\n               JOIN pg_class c ON c.oid = i.indexrelid\n               JOIN pg_namespace n ON n.oid = c.relnamespace\n               WHERE n.nspname = current_schema() AND c.relname = '{index}' AND NOT i.indisvalid) THEN\n        IF current_setting('lock_timeout') = '0' THEN\n            PERFORM set_config('lock_timeout', '5s', true);\n        END IF;\n        DROP INDEX \"{index}\";\n    END IF;\nEND $$;");
        """.Replace("{index}", index, StringComparison.Ordinal);

    private static string CreateConcurrently(string index, string column) => """
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS \"{index}\" ON \"todo_items\" (\"{column}\");", suppressTransaction: true);
        """.Replace("{index}", index, StringComparison.Ordinal).Replace("{column}", column, StringComparison.Ordinal);

    private const string RerunnableSuppressions = """
        [SafeMigrations.SuppressMigrationRule("SM1003", Justification = "The first statement only drops an INVALID index left by a failed build of this migration, and both statements can run again: EF committing between them loses nothing.")]
            [SafeMigrations.SuppressMigrationRule("SM1018", Justification = "The DO block drops only an INVALID index of this name (left by a failed build), under a 5 s lock_timeout when none is set.")]
        """;

    private const string MovedIndexMigration = """
        using Microsoft.EntityFrameworkCore.Infrastructure;
        using Microsoft.EntityFrameworkCore.Migrations;

        #nullable disable

        namespace Todo.Backend.Migrations
        {
            /// <inheritdoc />
            [DbContext(typeof(global::Todo.Backend.Data.TodoDbContext))]
            [Migration("20261124000001_AddThingCreateIXtodoitemstitleConcurrently")]
            [SafeMigrations.SuppressMigrationRule("SM1003", Justification = "The first statement only drops an INVALID index left by a failed build of this migration, and both statements can run again: EF committing between them loses nothing.")]
            [SafeMigrations.SuppressMigrationRule("SM1018", Justification = "The DO block drops only an INVALID index of this name (left by a failed build), under a 5 s lock_timeout when none is set.")]
            public partial class AddThingCreateIXtodoitemstitleConcurrently : Migration
            {
                /// <inheritdoc />
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.Sql("DO $$\nBEGIN\n    IF EXISTS (SELECT FROM pg_index i\n               JOIN pg_class c ON c.oid = i.indexrelid\n               JOIN pg_namespace n ON n.oid = c.relnamespace\n               WHERE n.nspname = current_schema() AND c.relname = 'IX_todo_items_title' AND NOT i.indisvalid) THEN\n        IF current_setting('lock_timeout') = '0' THEN\n            PERFORM set_config('lock_timeout', '5s', true);\n        END IF;\n        DROP INDEX \"IX_todo_items_title\";\n    END IF;\nEND $$;");

                    migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS \"IX_todo_items_title\" ON \"todo_items\" (\"title\");", suppressTransaction: true);
                }

                /// <inheritdoc />
                protected override void Down(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.Sql("DROP INDEX CONCURRENTLY IF EXISTS \"IX_todo_items_title\";", suppressTransaction: true);
                }
            }
        }

        """;

    [TestMethod]
    public Task SM1001_with_other_operations_moves_the_index_to_a_concurrent_migration_of_its_own() => VerifyAsync<CreateIndexConcurrentlyCodeFix>(
        """
        migrationBuilder.AddColumn<string>(name: "notes", table: "todo_items", nullable: true);

                    {|SM1001:migrationBuilder.CreateIndex(
                        name: "IX_todo_items_title",
                        table: "todo_items",
                        column: "title")|};
        """,
        """
        migrationBuilder.DropIndex(
                        name: "IX_todo_items_title",
                        table: "todo_items");

                    migrationBuilder.DropColumn(name: "notes", table: "todo_items");
        """,
        "migrationBuilder.AddColumn<string>(name: \"notes\", table: \"todo_items\", nullable: true);",
        """
        migrationBuilder.DropColumn(name: "notes", table: "todo_items");
        """,
        ("/0/20261124000001_AddThingCreateIXtodoitemstitleConcurrently.cs", MovedIndexMigration));

    [TestMethod]
    public Task SM1003_a_concurrent_index_sharing_its_migration_is_moved_out() => VerifyAsync<CreateIndexConcurrentlyCodeFix>(
        """
        migrationBuilder.AddColumn<string>(name: "notes", table: "todo_items", nullable: true);

                    {|SM1003:migrationBuilder.CreateIndex(
                        name: "IX_todo_items_title",
                        table: "todo_items",
                        column: "title")|}
                        .Annotation("Npgsql:CreatedConcurrently", true);
        """,
        "migrationBuilder.DropColumn(name: \"notes\", table: \"todo_items\");",
        "migrationBuilder.AddColumn<string>(name: \"notes\", table: \"todo_items\", nullable: true);",
        "migrationBuilder.DropColumn(name: \"notes\", table: \"todo_items\");",
        ("/0/20261124000001_AddThingCreateIXtodoitemstitleConcurrently.cs", MovedIndexMigration));

    [TestMethod]
    public Task SM1013_a_foreign_key_is_added_not_valid_and_validated_in_the_next_migration() => VerifyAsync<AddConstraintNotValidCodeFix>(
        """
        {|SM1013:migrationBuilder.AddForeignKey(
                        name: "FK_todo_items_users_owner_id",
                        table: "todo_items",
                        column: "owner_id",
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade)|};
        """,
        "migrationBuilder.DropForeignKey(name: \"FK_todo_items_users_owner_id\", table: \"todo_items\");",
        """
        migrationBuilder.Sql("ALTER TABLE \"todo_items\" ADD CONSTRAINT \"FK_todo_items_users_owner_id\" FOREIGN KEY (\"owner_id\") REFERENCES \"users\" (\"id\") ON DELETE CASCADE NOT VALID;");
        """,
        "migrationBuilder.DropForeignKey(name: \"FK_todo_items_users_owner_id\", table: \"todo_items\");",
        ("/0/20261124000001_AddThingValidateFKtodoitemsusersownerid.cs", ValidateMigration("AddThingValidateFKtodoitemsusersownerid", "ALTER TABLE \\\"todo_items\\\" VALIDATE CONSTRAINT \\\"FK_todo_items_users_owner_id\\\";")));

    [TestMethod]
    public Task SM1014_a_check_constraint_is_added_not_valid_and_validated_in_the_next_migration() => VerifyAsync<AddConstraintNotValidCodeFix>(
        """
        {|SM1014:migrationBuilder.AddCheckConstraint(
                        name: "CK_todo_items_title_length",
                        table: "todo_items",
                        sql: "length(title) <= 200")|};
        """,
        "migrationBuilder.DropCheckConstraint(name: \"CK_todo_items_title_length\", table: \"todo_items\");",
        """
        migrationBuilder.Sql("ALTER TABLE \"todo_items\" ADD CONSTRAINT \"CK_todo_items_title_length\" CHECK (length(title) <= 200) NOT VALID;");
        """,
        "migrationBuilder.DropCheckConstraint(name: \"CK_todo_items_title_length\", table: \"todo_items\");",
        ("/0/20261124000001_AddThingValidateCKtodoitemstitlelength.cs", ValidateMigration("AddThingValidateCKtodoitemstitlelength", "ALTER TABLE \\\"todo_items\\\" VALIDATE CONSTRAINT \\\"CK_todo_items_title_length\\\";")));

    [TestMethod]
    public Task A_suppression_is_added_with_a_placeholder_that_does_not_count_until_replaced() => VerifyAsync<SuppressWithJustificationCodeFix>(
        "{|SM1011:migrationBuilder.DropColumn(name: \"description\", table: \"todo_items\")|};",
        "migrationBuilder.AddColumn<string>(name: \"description\", table: \"todo_items\", nullable: true);",
        "{|SM1011:migrationBuilder.DropColumn(name: \"description\", table: \"todo_items\")|};",
        "migrationBuilder.AddColumn<string>(name: \"description\", table: \"todo_items\", nullable: true);",
        key: nameof(SuppressWithJustificationCodeFix) + "SM1011",
        fixedAttributes: "[{|SM0001:SuppressMigrationRule(\"SM1011\", Justification = \"TODO: say why this is safe\")|}]",
        fixedUsings: "using SafeMigrations;\n");

    [TestMethod]
    public async Task Fix_all_builds_the_lone_index_of_every_migration_concurrently()
    {
        var test = CodeFixVerifier.Create<CreateIndexConcurrentlyCodeFix>();
        test.TestState.Sources.Add(("/0/TodoDbContext.cs", Context));
        test.FixedState.Sources.Add(("/0/TodoDbContext.cs", Context));
        foreach (var (name, id, column) in new[] { ("IndexTitle", "20261124000000_IndexTitle", "title"), ("IndexDueDate", "20261124000100_IndexDueDate", "due_date") })
        {
            var call = $"migrationBuilder.CreateIndex(name: \"IX_{column}\", table: \"todo_items\", column: \"{column}\")";
            var down = $"migrationBuilder.DropIndex(name: \"IX_{column}\", table: \"todo_items\");";
            test.TestState.Sources.Add(($"/0/{id}.cs", Migration(name, "{|SM1001:" + call + "|};", down)));
            test.TestState.Sources.Add(($"/0/{id}.Designer.cs", Designer(name, id)));
            test.FixedState.Sources.Add(($"/0/{id}.cs", Migration(name, DropIfInvalid($"IX_{column}") + "\n\n            " + CreateConcurrently($"IX_{column}", column), down, RerunnableSuppressions)));
            test.FixedState.Sources.Add(($"/0/{id}.Designer.cs", Designer(name, id)));
        }

        test.FixedState.MarkupHandling = MarkupMode.None; // SQL's $$ is text, not markup
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 2; // one document at a time; project and solution scope fix both at once
        test.NumberOfIncrementalIterations = 2;
        await test.RunAsync();
    }

    [TestMethod]
    public Task Fix_all_suppresses_a_rule_once_per_migration() => VerifyAsync<SuppressWithJustificationCodeFix>(
        """
        {|SM1011:migrationBuilder.DropColumn(name: "description", table: "todo_items")|};
                    {|SM1011:migrationBuilder.DropColumn(name: "notes", table: "todo_items")|};
        """,
        "migrationBuilder.Sql(\"SELECT 1\");",
        """
        {|SM1011:migrationBuilder.DropColumn(name: "description", table: "todo_items")|};
                    {|SM1011:migrationBuilder.DropColumn(name: "notes", table: "todo_items")|};
        """,
        "migrationBuilder.Sql(\"SELECT 1\");",
        key: nameof(SuppressWithJustificationCodeFix) + "SM1011",
        fixedAttributes: "[{|SM0001:SuppressMigrationRule(\"SM1011\", Justification = \"TODO: say why this is safe\")|}]",
        fixedUsings: "using SafeMigrations;\n");

    private static string ValidateMigration(string name, string sql) => $$"""
        using Microsoft.EntityFrameworkCore.Infrastructure;
        using Microsoft.EntityFrameworkCore.Migrations;

        #nullable disable

        namespace Todo.Backend.Migrations
        {
            /// <inheritdoc />
            [DbContext(typeof(global::Todo.Backend.Data.TodoDbContext))]
            [Migration("20261124000001_{{name}}")]
            public partial class {{name}} : Migration
            {
                /// <inheritdoc />
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.Sql("{{sql}}");
                }

                /// <inheritdoc />
                protected override void Down(MigrationBuilder migrationBuilder)
                {
                    // Nothing to undo: validating changes no structure, and the previous migration's Down drops the constraint.
                }
            }
        }

        """;
}
