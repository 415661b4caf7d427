using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SafeMigrations.Analyzers.Tests;

/// <summary>
/// The ways the IDE asks for diagnostics besides a whole build: one document, and one span of it
/// (the light bulb asks for the line under the caret). A finding must come out of every request
/// whose span holds it, exactly once.
/// </summary>
[TestClass]
public sealed class IdeAnalysisTests
{
    private const string Migration = """
        using Microsoft.EntityFrameworkCore.Migrations;

        namespace Todo.Backend.Migrations
        {
            [Migration("20261124000000_AddNote")]
            public partial class AddNote : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.CreateIndex(name: "IX_todo_items_owner", table: "todo_items", column: "owner_id");
                }

                protected override void Down(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.DropIndex(name: "IX_todo_items_owner", table: "todo_items");
                    migrationBuilder.CreateIndex(name: "IX_todo_items_title", table: "todo_items", column: "title");
                }
            }
        }
        """;

    private const string WithoutDown = """
        using Microsoft.EntityFrameworkCore.Migrations;

        namespace Todo.Backend.Migrations
        {
            [Migration("20261124000000_AddNote")]
            [SafeMigrations.SuppressMigrationRule("SM1009", Justification = "left over")]
            public partial class AddNote : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.AddColumn<string>(name: "note", table: "todo_items", type: "text", nullable: true);
                }
            }
        }
        """;

    [TestMethod]
    public async Task A_build_reports_every_finding_once()
    {
        // A build analyses the whole compilation: there Up's block action reports everything, and the
        // class's symbol action, which reports the rest for a single document, must stay silent.
        foreach (var (source, expected) in new[] { (Migration, new[] { "SM1001@10", "SM1001@16", "SM1002@15" }), (WithoutDown, new[] { "SM0002@6", "SM1020@7" }) })
        {
            var (analyzers, _) = Analyze(source);
            var diagnostics = await analyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);

            var found = diagnostics.Select(d => $"{d.Id}@{d.Location.GetLineSpan().StartLinePosition.Line + 1}").Order().ToList();
            CollectionAssert.AreEqual(expected, found, string.Join(", ", found));
        }
    }

    [TestMethod]
    public async Task A_finding_in_Down_is_reported_once_for_the_document()
    {
        var (analyzers, model) = Analyze(Migration);
        var diagnostics = await analyzers.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, CancellationToken.None);

        var lines = diagnostics.Where(d => d.Id == "SM1001").Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1).Order().ToList();
        CollectionAssert.AreEqual(new[] { 10, 16 }, lines, "the index built in Up (line 10) and the one Down rebuilds (line 16), each once");
    }

    [TestMethod]
    public async Task The_findings_in_a_span_come_out_when_only_that_span_is_analyzed()
    {
        foreach (var (method, line) in new[] { ("Down", 16), ("Up", 10) })
        {
            // A fresh analysis per request, as after each keystroke: one CompilationWithAnalyzers asked for
            // two spans may return what it found for the first span again with the second.
            var (analyzers, model) = Analyze(Migration);
            var span = Method(model, method).Span;
            var diagnostics = await analyzers.GetAnalyzerSemanticDiagnosticsAsync(model, span, CancellationToken.None);

            // The IDE keeps what lies in the span; the analyzer must have reported it.
            var inSpan = diagnostics.Where(d => d.Id == "SM1001" && span.Contains(d.Location.SourceSpan)).ToList();
            Assert.HasCount(1, inSpan, $"the light bulb on {method}'s line must see the finding it offers fixes for");
            Assert.AreEqual(line, inSpan[0].Location.GetLineSpan().StartLinePosition.Line + 1);
        }
    }

    [TestMethod]
    public async Task Findings_on_the_class_and_its_attributes_are_reported_for_the_document()
    {
        var (analyzers, model) = Analyze(WithoutDown);

        var diagnostics = await analyzers.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, CancellationToken.None);

        var found = diagnostics.Select(d => $"{d.Id}@{d.Location.GetLineSpan().StartLinePosition.Line + 1}").Order().ToList();
        CollectionAssert.AreEqual(new[] { "SM0002@6", "SM1020@7" }, found, "the unused suppression on its attribute, the missing Down on the class");
    }

    private static (CompilationWithAnalyzers Analyzers, SemanticModel Model) Analyze(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, path: "/0/Migrations/20261124000000_AddNote.cs");
        var compilation = CSharpCompilation.Create(
            "IdeAnalysisTest", [tree], AnalyzerVerifier.References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var options = new AnalyzerOptions([], new ConfigOptions(new Dictionary<string, string> { ["safemigrations.check_down"] = "true" }));
        var analyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new MigrationCodeAnalyzer()), options);
        return (analyzers, compilation.GetSemanticModel(tree));
    }

    private static MethodDeclarationSyntax Method(SemanticModel model, string name) =>
        model.SyntaxTree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == name);

    private sealed class ConfigOptions(Dictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        private readonly Options global = new(values);

        public override AnalyzerConfigOptions GlobalOptions => global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new([]);

            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
