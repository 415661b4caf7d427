using SafeMigrations.Testing;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SafeMigrations.Analyzers.Tests;

/// <summary>The reference application's migrations, exactly as dotnet ef wrote them, judged by the analyzer.</summary>
[TestClass]
public sealed class TodoBackendMigrationsTests
{
    [TestMethod]
    public async Task The_reference_backends_migrations_have_no_warnings_or_errors_and_its_int_keys_are_noted()
    {
        var directory = Path.Combine(RepositoryRoot.Path, "src", "Todo.Backend", "Migrations");
        var trees = Directory.GetFiles(directory, "*.cs")
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), path: path))
            .Append(CSharpSyntaxTree.ParseText(MigrationSources.Context, path: "TodoDbContext.cs"))
            .ToList();
        var compilation = CSharpCompilation.Create("Todo", trees, AnalyzerVerifier.References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.IsEmpty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error), "the migrations compile");

        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new MigrationCodeAnalyzer())).GetAnalyzerDiagnosticsAsync();

        Assert.IsEmpty(diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning), string.Join(Environment.NewLine, diagnostics));
        var notes = diagnostics.Where(d => d.Id == "SM1024").ToList();
        Assert.HasCount(2, notes, "users.id and todo_items.id are integer keys");
        Assert.IsTrue(notes.All(d => d.Location.SourceTree!.FilePath.EndsWith("_InitialCreate.cs", StringComparison.Ordinal)));
    }
}
