using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SafeMigrations.Analyzers.Tests;

/// <summary>
/// The model analyzer as the IDE asks it: one document at a time. A finding must come out of the
/// analysis of the file it points into — a base class's file, the DbContext for a shadow property, a
/// configuration class — and out of no other.
/// </summary>
[TestClass]
public sealed class ModelIdeAnalysisTests
{
    private const string Audited = """
        #nullable enable
        namespace Todo.Backend.Models;

        public abstract class Audited
        {
            public string Note { get; set; } = string.Empty;
        }
        """;

    [TestMethod]
    public async Task A_finding_on_a_base_class_property_is_reported_in_the_base_class_file()
    {
        // The snapshot has Note as a nullable column of todo_items; the base class now makes it required.
        var sources = TodoModelSources.Load()
            .Add("Models/Audited.cs", Audited)
            .Edit("Models/TodoItem.cs", "public class TodoItem", "public class TodoItem : Audited")
            .Edit("Migrations/TodoDbContextModelSnapshot.cs", "                    b.Property<DateTimeOffset?>(\"DueDate\")", "                    b.Property<string>(\"Note\")\n                        .HasColumnType(\"text\")\n                        .HasColumnName(\"Note\");\n\n                    b.Property<DateTimeOffset?>(\"DueDate\")");

        var found = await PerDocumentAsync(sources);

        CollectionAssert.AreEqual(new[] { "SM2006" }, found["Models/Audited.cs"]);
        Assert.IsEmpty(found["Models/TodoItem.cs"]);
        CollectionAssert.AreEqual(new[] { "SM2009" }, found["Data/TodoDbContext.cs"]);
    }

    [TestMethod]
    public async Task Findings_on_fluent_configuration_are_reported_in_the_file_that_configures()
    {
        var sources = TodoModelSources.Load()
            .Edit("Data/TodoDbContext.cs", "task.Property(t => t.CreatedAt).HasDefaultValueSql(\"now()\");", "task.Property(t => t.CreatedAt).HasDefaultValueSql(\"now()\");\n            task.HasIndex(t => t.Title);");

        var found = await PerDocumentAsync(sources);

        CollectionAssert.AreEquivalent(new[] { "SM2009", "SM2010" }, found["Data/TodoDbContext.cs"].ToList());
        Assert.IsEmpty(found["Models/TodoItem.cs"]);
    }

    /// <summary>The SafeMigrations findings of each file, from an analysis of that file alone.</summary>
    private static async Task<Dictionary<string, string[]>> PerDocumentAsync(TodoModelSources sources)
    {
        var trees = sources.Files.Select(f => CSharpSyntaxTree.ParseText(f.Value, AnalyzerRun.ParseOptions, path: f.Key))
            .Append(CSharpSyntaxTree.ParseText(TodoModelSources.GlobalUsings, AnalyzerRun.ParseOptions, path: "GlobalUsings.cs"))
            .ToList();
        var compilation = CSharpCompilation.Create("ModelIde", trees, AnalyzerVerifier.References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var found = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var tree in trees)
        {
            // A fresh driver per document, as the IDE analyses the open file after an edit.
            var analyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ModelSnapshotAnalyzer()));
            var diagnostics = await analyzers.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(tree), filterSpan: null, CancellationToken.None);
            found[tree.FilePath] = diagnostics.Where(d => d.Id.StartsWith("SM", StringComparison.Ordinal)).Select(d => d.Id).Order(StringComparer.Ordinal).ToArray();
        }

        return found;
    }
}
