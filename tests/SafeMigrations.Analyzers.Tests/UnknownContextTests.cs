using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static SafeMigrations.Analyzers.Tests.MigrationSources;

namespace SafeMigrations.Analyzers.Tests;

/// <summary>A migration bound to a DbContext the project does not have (a mistyped template --context): said on the migration, with the project's contexts.</summary>
[TestClass]
public sealed class UnknownContextTests
{
    [TestMethod]
    public async Task A_context_that_does_not_exist_is_named_with_the_contexts_the_project_has()
    {
        var designer = Designer("AddIndex", "20261204000000_AddIndex").Replace("typeof(TodoDbContext)", "typeof(NoSuchContext)", StringComparison.Ordinal);
        Assert.Contains("NoSuchContext", designer, "the Designer names the context as the templates write it");
        var migration = Migration("AddIndex", "migrationBuilder.Sql(\"SELECT 1\");");
        var trees = new[] { Context, migration, designer }
            .Select((text, i) => CSharpSyntaxTree.ParseText(text, AnalyzerRun.ParseOptions, path: i == 2 ? "M.Designer.cs" : $"F{i}.cs"));
        var compilation = CSharpCompilation.Create("UnknownContext", trees, AnalyzerVerifier.References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.IsTrue(compilation.GetDiagnostics().Any(d => d.Id == "CS0246"), "the compiler cannot find the context");

        var diagnostics = await AnalyzerRun.AnalyzeAsync(compilation);

        var hint = diagnostics.Single(d => d.Id == "SM0005");
        var message = hint.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        StringAssert.Contains(message, "typeof(NoSuchContext)");
        StringAssert.Contains(message, "Its DbContext types: Todo.Backend.Data.TodoDbContext.");
        Assert.AreEqual("F1.cs", hint.Location.SourceTree!.FilePath, "reported on the migration, not in its generated Designer");
    }

    [TestMethod]
    public async Task A_bound_context_gets_no_hint() =>
        Assert.IsFalse((await AnalyzerRun.DiagnosticsAsync(Context,
            Migration("AddIndex", "migrationBuilder.Sql(\"SELECT 1\");"),
            Designer("AddIndex", "20261204000000_AddIndex"))).Any(d => d.Id == "SM0005"));
}
