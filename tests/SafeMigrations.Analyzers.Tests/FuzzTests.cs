using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using SafeMigrations.Analyzers.CodeFixes;

namespace SafeMigrations.Analyzers.Tests;

/// <summary>
/// Migrations written at random from the calls EF scaffolds, with the arguments that break parsers —
/// half-typed store types, NaN and out-of-range defaults, long and odd identifiers, SQL with huge
/// numbers, names that are not constants — run through both analyzers (no exception, no AD0001, no rule
/// failing: SM0003) and through every code fix offered on them (no exception; no fix where a name it
/// would write into SQL is not a constant).
/// </summary>
[TestClass]
public sealed class FuzzTests
{
    private static readonly CodeFixProvider[] Fixes =
        [new CreateIndexConcurrentlyCodeFix(), new AddConstraintNotValidCodeFix(), new KeepColumnNameCodeFix(), new SuppressWithJustificationCodeFix()];

    private static readonly string[] StoreTypes =
        ["\"integer\"", "\"numeric(10,)\"", "\"numeric(99999999999)\"", "\"character varying(\"", "\"\"", "\"text[]\"", "\"timestamp(3) with time zone\"", "\"numeric(10,2)\"", "\"varchar(-1)\"", "null", "TypeName", "\"my type\""];

    private static readonly string[] Values =
    [
        "0", "0L", "0m", "\"\"", "false", "true", "double.NaN", "double.PositiveInfinity", "float.NaN", "decimal.MaxValue", "null", "new DateTime(2024, 13, 45)",
        "new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified)", "new Guid(\"not a guid\")", "new Guid(\"00000000-0000-0000-0000-000000000000\")",
        "new TimeSpan(long.MaxValue)", "new string[0]", "new int[-1]", "Value", "1 / 0", "(object)null", "new DateTimeOffset(new DateTime(1, 1, 1), TimeSpan.Zero)",
    ];

    private static readonly string[] Names = ["\"title\"", "\"description\"", "\"user_id\"", "\"\"", "\"a\\\"b\"", "\"" + new string('x', 70) + "\"", "Name", "\"列\"", "null", "$\"c{1}\""];

    private static readonly string[] Tables = ["\"todo_items\"", "\"users\"", "Table", "\"\"", "null"];

    private static readonly string[] Sql =
    [
        "\"ALTER TABLE todo_items ALTER COLUMN title TYPE numeric(99999999999)\"", "\"CREATE INDEX CONCURRENTLY ix ON todo_items (title)\"",
        "\"ALTER TABLE t ADD CONSTRAINT c CHECK (x IS NOT NULL) NOT VALID\"", "\"DO $$ BEGIN END $$\"", "\"BEGIN; COMMIT;\"", "Sql", "\"\"",
        "\"ALTER TABLE todo_items ADD COLUMN x varchar(10,) NOT NULL\"", "\"UPDATE todo_items SET x = 1\"", "\"ALTER TYPE e RENAME VALUE 'a' TO 'b'\"",
    ];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Random_migrations_are_judged_and_fixed_without_an_exception()
    {
        var random = new Random(20261203);
        int calls = 0, migrations = 0, fixes = 0;
        for (var round = 0; round < 12; round++)
        {
            var files = new List<(string Path, string Text)> { ("Context.cs", MigrationSources.Context), ("Values.cs", Values0) };
            for (var m = 0; m < 8; m++)
            {
                var body = new StringBuilder();
                var count = random.Next(1, 9);
                for (var c = 0; c < count; c++)
                {
                    body.AppendLine(Call(random)).Append("            ");
                }

                calls += count;
                migrations++;
                var name = $"Fuzz{round}x{m}";
                var id = $"2026010{round % 10}{m:D2}0000_{name}";
                files.Add(($"{id}.cs", MigrationSources.Migration(name, body.ToString(), random.Next(3) == 0 ? null : "migrationBuilder.Sql(\"SELECT 1\");")
                    .Replace("namespace Todo.Backend.Migrations\n{", "namespace Todo.Backend.Migrations\n{\n    using static Todo.Backend.Migrations.FuzzValues;", StringComparison.Ordinal)));
                files.Add(($"{id}.Designer.cs", MigrationSources.Designer(name, id, TargetModel(random))));
            }

            var diagnostics = await AnalyzerRun.DiagnosticsAsync([.. files]);
            var failures = diagnostics.Where(d => d.Id == "SM0003").ToList();
            Assert.IsEmpty(failures, string.Join("\n", failures));
            fixes += await ApplyEveryFixAsync(files, diagnostics);
        }

        TestContext.WriteLine($"{migrations} migrations with {calls} MigrationBuilder calls judged; {fixes} code fixes computed");
    }

    [TestMethod]
    public async Task Random_model_configuration_is_compared_with_the_snapshot_without_an_exception()
    {
        var random = new Random(20261204);
        string[] fluent =
        [
            "task.Property(t => t.Title).HasColumnType({0});", "task.Property(t => t.Priority).HasPrecision({1}, {1});", "task.HasIndex({2}).IsUnique({3});",
            "task.Property(t => t.Description).HasDefaultValueSql({0});", "task.Property<int>({0}).HasColumnType({0});", "task.HasIndex(t => new {{ t.Title, t.OwnerId }}).IsCreatedConcurrently({3});",
            "task.Property(t => t.CreatedAt).HasColumnType({0}).HasMaxLength({1});", "modelBuilder.Entity<User>().HasIndex({2});",
        ];
        string[] strings = ["\"numeric(10,)\"", "\"numeric(99999999999)\"", "\"\"", "null", "\"bigint\"", "\"character varying(\"", "\"gen_random_uuid()\"", "Name", "\"text[][]\""];
        string[] numbers = ["0", "-1", "int.MaxValue", "38", "1 + 1"];
        string[] selectors = ["t => t.Title", "\"Title\"", "\"\"", "t => t", "null", "\"Nope\", \"Title\""];
        var edits = 0;
        for (var round = 0; round < 40; round++)
        {
            var lines = string.Join("\n            ", Enumerable.Range(0, random.Next(1, 5)).Select(_ => string.Format(
                System.Globalization.CultureInfo.InvariantCulture, fluent[random.Next(fluent.Length)],
                strings[random.Next(strings.Length)], numbers[random.Next(numbers.Length)], selectors[random.Next(selectors.Length)], random.Next(2) == 0 ? "true" : "false")));
            var attribute = random.Next(3) == 0 ? $"[Microsoft.EntityFrameworkCore.Index({selectors[random.Next(selectors.Length)].Replace("t => ", string.Empty, StringComparison.Ordinal)})]\n" : string.Empty;
            var sources = TodoModelSources.Load()
                .Edit("Data/TodoDbContext.cs", "task.Property(t => t.CreatedAt).HasDefaultValueSql(\"now()\");", "task.Property(t => t.CreatedAt).HasDefaultValueSql(\"now()\");\n            " + lines)
                .Edit("Models/TodoItem.cs", "[Table(\"todo_items\")]", attribute + "[Table(\"todo_items\")]")
                .Edit("Models/TodoItem.cs", "[Column(\"priority\")]", random.Next(2) == 0 ? "[Column(\"priority\", TypeName = " + strings[random.Next(strings.Length)] + ")]" : "[Column(\"priority\")]");
            var diagnostics = await AnalyzerRun.DiagnosticsAsync(sources.Sources);
            Assert.IsFalse(diagnostics.Any(d => d.Id == "SM0003"), string.Join("\n", diagnostics.Where(d => d.Id == "SM0003")));
            edits++;
        }

        TestContext.WriteLine($"{edits} randomly configured models compared with the snapshot");
    }

    [TestMethod]
    public async Task No_constraint_fix_is_offered_when_a_name_it_would_write_is_not_a_constant()
    {
        foreach (var (table, principal, column) in new[] { ("Table", "\"users\"", "\"user_id\""), ("\"todo_items\"", "Table", "\"user_id\""), ("\"todo_items\"", "\"users\"", "Name") })
        {
            var up = $$"""
                migrationBuilder.AddForeignKey(name: "FK_x", table: {{table}}, column: {{column}}, principalTable: {{principal}}, principalColumn: "id");
                """;
            var files = new[] { ("Context.cs", MigrationSources.Context), ("Values.cs", Values0),
                ("20261124000000_Fk.cs", MigrationSources.Migration("Fk", up).Replace("namespace Todo.Backend.Migrations\n{", "namespace Todo.Backend.Migrations\n{\n    using static Todo.Backend.Migrations.FuzzValues;", StringComparison.Ordinal)),
                ("20261124000000_Fk.Designer.cs", MigrationSources.Designer("Fk", "20261124000000_Fk")) };
            var diagnostics = await AnalyzerRun.DiagnosticsAsync(files);
            var foreignKey = diagnostics.Single(d => d.Id == "SM1013");
            var offered = await ActionsAsync(files, foreignKey, new AddConstraintNotValidCodeFix());
            Assert.IsEmpty(offered, $"{table}/{principal}/{column}: the fix would have to guess a name");
        }
    }

    private const string Values0 = """
        namespace Todo.Backend.Migrations
        {
            public static class FuzzValues
            {
                public static readonly string TypeName = "integer";
                public static readonly string Name = "dynamic";
                public static readonly string Table = "todo_items";
                public static readonly string Sql = "SELECT 1";
                public static readonly object Value = 0;
            }
        }
        """;

    private static string Call(Random random)
    {
        string Pick(string[] from) => from[random.Next(from.Length)];
        string Bool() => random.Next(2) == 0 ? "true" : "false";
        var clr = Pick(["int", "long", "string", "bool", "decimal", "double", "Guid", "DateTime", "string[]", "int?"]);
        return random.Next(12) switch
        {
            0 => $"migrationBuilder.AddColumn<{clr}>(name: {Pick(Names)}, table: {Pick(Tables)}, type: {Pick(StoreTypes)}, nullable: {Bool()}, defaultValue: {Pick(Values)});",
            1 => $"migrationBuilder.AlterColumn<{clr}>(name: {Pick(Names)}, table: {Pick(Tables)}, type: {Pick(StoreTypes)}, nullable: {Bool()}, defaultValue: {Pick(Values)}, oldClrType: typeof({clr}), oldType: {Pick(StoreTypes)}, oldNullable: {Bool()}, maxLength: {random.Next(-2, 400)});",
            2 => $"migrationBuilder.CreateIndex(name: {Pick(Names)}, table: {Pick(Tables)}, column: {Pick(Names)}, unique: {Bool()}){(random.Next(2) == 0 ? ".Annotation(\"Npgsql:CreatedConcurrently\", true)" : string.Empty)};",
            3 => $"migrationBuilder.AddForeignKey(name: {Pick(Names)}, table: {Pick(Tables)}, column: {Pick(Names)}, principalTable: {Pick(Tables)}, principalColumn: {Pick(Names)});",
            4 => $"migrationBuilder.AddCheckConstraint(name: {Pick(Names)}, table: {Pick(Tables)}, sql: {Pick(Sql)});",
            5 => $"migrationBuilder.Sql({Pick(Sql)}, suppressTransaction: {Bool()});",
            6 => $"migrationBuilder.RenameColumn(name: {Pick(Names)}, table: {Pick(Tables)}, newName: {Pick(Names)});",
            7 => $"migrationBuilder.DropColumn(name: {Pick(Names)}, table: {Pick(Tables)});",
            8 => $"migrationBuilder.AlterDatabase().Annotation(\"Npgsql:Enum:status\", \"a,b\").OldAnnotation(\"Npgsql:Enum:status\", {Pick(["\"a,b,c\"", "\"\"", "null", "Name", "\",,,\""])}).Annotation(\"Npgsql:Enum:s2.kind\", \"x\").OldAnnotation(\"Npgsql:Enum:s2.kind\", \"x,y\");",
            9 => $"migrationBuilder.CreateTable(name: {Pick(Tables)}, columns: table => new {{ Id = table.Column<long>(type: {Pick(StoreTypes)}, nullable: false), X = table.Column<{clr}>(type: {Pick(StoreTypes)}, nullable: {Bool()}, defaultValue: {Pick(Values)}) }}, constraints: table => {{ table.PrimaryKey({Pick(Names)}, x => x.Id); }});",
            10 => $"migrationBuilder.DropIndex(name: {Pick(Names)}, table: {Pick(Tables)});",
            _ => $"migrationBuilder.AddPrimaryKey(name: {Pick(Names)}, table: {Pick(Tables)}, column: {Pick(Names)});",
        };
    }

    /// <summary>A target model that configures (or not) defaults and keys for the fuzzed column names.</summary>
    private static string TargetModel(Random random) => random.Next(3) == 0 ? string.Empty : $$"""
        modelBuilder.Entity("Todo.Backend.Models.TodoItem", b =>
                        {
                            b.Property<int>("Title").HasColumnType({{(random.Next(2) == 0 ? "\"integer\"" : "\"numeric(10,)\"")}}){{(random.Next(2) == 0 ? ".HasDefaultValue(0)" : string.Empty)}}.HasColumnName("title");
                            b.Property<long>("UserId").HasColumnName({{(random.Next(2) == 0 ? "\"user_id\"" : "null")}});
                            b.HasKey("Title");
                            b.ToTable({{(random.Next(2) == 0 ? "\"todo_items\"" : "null")}});
                        });
        """;

    /// <summary>Every code fix offered for every diagnostic, computed to the end; returns how many there were.</summary>
    private static async Task<int> ApplyEveryFixAsync(IReadOnlyList<(string Path, string Text)> files, ImmutableArray<Diagnostic> diagnostics)
    {
        var computed = 0;
        foreach (var diagnostic in diagnostics.Where(d => d.Location.IsInSource))
        {
            foreach (var fix in Fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                foreach (var action in await ActionsAsync(files, diagnostic, fix))
                {
                    _ = await action.GetOperationsAsync(CancellationToken.None);
                    computed++;
                }
            }
        }

        return computed;
    }

    private static async Task<IReadOnlyList<CodeAction>> ActionsAsync(IReadOnlyList<(string Path, string Text)> files, Diagnostic diagnostic, CodeFixProvider fix)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject("Fuzz", LanguageNames.CSharp)
            .WithParseOptions(AnalyzerRun.ParseOptions)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary))
            .WithMetadataReferences(AnalyzerVerifier.References);
        Document? target = null;
        foreach (var (path, text) in files)
        {
            var document = project.AddDocument(path, SourceText.From(text), filePath: path);
            project = document.Project;
            if (path == diagnostic.Location.SourceTree!.FilePath)
            {
                target = document;
            }
        }

        target = project.GetDocument(target!.Id)!;
        var actions = new List<CodeAction>();
        await fix.RegisterCodeFixesAsync(new CodeFixContext(target, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        return actions;
    }
}
