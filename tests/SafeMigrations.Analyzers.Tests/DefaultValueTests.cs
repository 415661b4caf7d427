using Microsoft.CodeAnalysis;
using static SafeMigrations.Analyzers.Tests.MigrationSources;

namespace SafeMigrations.Analyzers.Tests;

/// <summary>
/// The default EF writes for a new NOT NULL column: the same <c>defaultValue:</c> whether the developer
/// configured it or EF filled in the CLR default. The migration's Designer (its target model) tells
/// which, in the shapes EF's C# generator writes for each CLR type.
/// </summary>
[TestClass]
public sealed class DefaultValueTests
{
    private static string AddColumn(string clrType, string storeType, string defaultValue) => $"""
        migrationBuilder.AddColumn<{clrType}>(
                        name: "extra",
                        table: "todo_items",
                        type: "{storeType}",
                        nullable: false,
                        defaultValue: {defaultValue});
        """;

    private static string TargetModel(string clrType, string storeType, string configuration = "") => $$"""
        modelBuilder.Entity("Todo.Backend.Models.TodoItem", b =>
                        {
                            b.Property<long>("Id")
                                .ValueGeneratedOnAdd()
                                .HasColumnType("bigint")
                                .HasColumnName("id");

                            b.Property<{{clrType}}>("Extra")
                                .HasColumnType("{{storeType}}"){{configuration}}
                                .HasColumnName("extra");

                            b.HasKey("Id");

                            b.ToTable("todo_items");
                        });
        """;

    private static async Task<IReadOnlyList<Diagnostic>> FindingsAsync(string up, string model) =>
        (await AnalyzerRun.DiagnosticsAsync(Context, Migration("AddExtra", up), Designer("AddExtra", "20261124000000_AddExtra", model)))
            .Where(d => d.Id is "SM1004" or "SM1032").ToList();

    [TestMethod]
    [DataRow("int", "integer", "0", "0")]
    [DataRow("string", "text", "\"\"", "'' (empty string)")]
    [DataRow("decimal", "numeric", "0m", "0")]
    [DataRow("Guid", "uuid", "new Guid(\"00000000-0000-0000-0000-000000000000\")", "'00000000-0000-0000-0000-000000000000'")]
    [DataRow("DateTime", "timestamp with time zone", "new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified)", "'0001-01-01 00:00:00'")]
    [DataRow("DateTimeOffset", "timestamp with time zone", "new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0))", "'0001-01-01 00:00:00+00:00'")]
    [DataRow("TimeSpan", "interval", "new TimeSpan(0, 0, 0, 0, 0)", "'00:00:00'")]
    [DataRow("string[]", "text[]", "new string[0]", "an empty array")]
    public async Task EFs_fill_in_for_each_clr_type_is_a_warning_that_names_the_value(string clrType, string storeType, string written, string shown)
    {
        var finding = (await FindingsAsync(AddColumn(clrType, storeType, written), TargetModel(clrType, storeType))).Single();
        Assert.AreEqual("SM1032", finding.Id);
        Assert.AreEqual(DiagnosticSeverity.Warning, finding.Severity);
        StringAssert.Contains(finding.GetMessage(System.Globalization.CultureInfo.InvariantCulture), "every existing row gets " + shown);
    }

    [TestMethod]
    public async Task A_boolean_flag_is_information()
    {
        var finding = (await FindingsAsync(AddColumn("bool", "boolean", "false"), TargetModel("bool", "boolean"))).Single();
        Assert.AreEqual(DiagnosticSeverity.Info, finding.Severity);
    }

    [TestMethod]
    [DataRow("int", "integer", "0", ".HasDefaultValue(0)")]
    [DataRow("bool", "boolean", "false", ".HasDefaultValue(false)")]
    [DataRow("string", "text", "\"\"", ".HasDefaultValue(\"\")")]
    public async Task A_default_the_target_model_configures_is_not_reported(string clrType, string storeType, string written, string configuration)
    {
        Assert.IsEmpty(await FindingsAsync(AddColumn(clrType, storeType, written), TargetModel(clrType, storeType, "\n                    .ValueGeneratedOnAdd()" + configuration)));
    }

    [TestMethod]
    public async Task Values_other_than_the_clr_default_are_the_developers()
    {
        Assert.IsEmpty(await FindingsAsync(AddColumn("int", "integer", "2"), TargetModel("int", "integer")));
        Assert.IsEmpty(await FindingsAsync(AddColumn("DateTime", "timestamp with time zone", "new DateTime(2024, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc)"), TargetModel("DateTime", "timestamp with time zone")));
    }

    [TestMethod]
    public async Task A_foreign_key_over_the_filled_column_fails_and_is_an_error()
    {
        var up = AddColumn("long", "bigint", "0L").Replace("\"extra\"", "\"user_id\"", StringComparison.Ordinal) + """

                    migrationBuilder.AddForeignKey(
                        name: "FK_todo_items_users_user_id",
                        table: "todo_items",
                        column: "user_id",
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
            """;
        var finding = (await FindingsAsync(up, string.Empty)).Single();
        Assert.AreEqual("SM1004", finding.Id);
        Assert.AreEqual(DiagnosticSeverity.Error, finding.Severity);
    }

    [TestMethod]
    [DataRow("double.NaN")]
    [DataRow("double.PositiveInfinity")]
    [DataRow("new DateTime(2024, 13, 45)")]
    [DataRow("new Guid(\"not a guid\")")]
    [DataRow("new TimeSpan(long.MaxValue)")]
    [DataRow("System.Array.Empty<int>()")]
    public async Task Odd_default_values_are_judged_without_an_exception(string written)
    {
        // AnalyzerRun fails on any analyzer exception; these are simply not the CLR default.
        Assert.IsEmpty(await FindingsAsync(AddColumn("double", "double precision", written), TargetModel("double", "double precision")));
    }
}
