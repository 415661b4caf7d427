using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;
using SafeMigrations.Analyzers;

namespace SafeMigrations.RuleExamples.Tests;

/// <summary>
/// A rule page's code blocks as the migrations a developer would have: each block becomes the Up of a
/// migration class with [DbContext] and [Migration] (ids in block order), compiled against this test
/// project's EF Core and Npgsql, judged by SafeMigrations' analyzers as a build would, and loaded so
/// EF can produce their operations.
/// </summary>
internal sealed class ExampleMigrations
{
    private ExampleMigrations(IReadOnlyList<string> ids, ImmutableArray<Diagnostic> diagnostics, Assembly assembly)
    {
        Ids = ids;
        Diagnostics = diagnostics;
        this.assembly = assembly;
    }

    private readonly Assembly assembly;

    /// <summary>The migration ids, one per block, in order.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>Every SafeMigrations diagnostic on the migrations.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <param name="targetModel">Statements on modelBuilder for each migration's BuildTargetModel, as its Designer would have.</param>
    public static async Task<ExampleMigrations> CompileAsync(IReadOnlyList<string> blocks, string? targetModel = null)
    {
        var ids = blocks.Select((_, i) => $"2026010100{i:D4}_Step{i + 1}").ToList();
        var source = ExampleSource.Of(blocks, ids, targetModel ?? string.Empty);
        var tree = CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), path: "Examples.cs");
        var compilation = CSharpCompilation.Create(
            "RuleExamples" + Guid.NewGuid().ToString("N"), [tree], ExampleSource.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.IsEmpty(errors, "the example does not compile:\n" + string.Join("\n", errors) + "\n" + source);

        var exceptions = new ConcurrentBag<Exception>();
        var diagnostics = await compilation.WithAnalyzers(
                [new MigrationCodeAnalyzer()],
                new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), (e, _, _) => exceptions.Add(e), concurrentAnalysis: false, logAnalyzerExecutionTime: false))
            .GetAnalyzerDiagnosticsAsync();
        Assert.IsEmpty(exceptions, "analyzer exception: " + exceptions.FirstOrDefault());

        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.IsTrue(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        var context = new AssemblyLoadContext("RuleExamples", isCollectible: true);
        return new ExampleMigrations(ids, diagnostics, context.LoadFromStream(image));
    }

    /// <summary>The diagnostics located in the migration of block <paramref name="index"/>.</summary>
    public IReadOnlyList<Diagnostic> DiagnosticsOf(int index)
    {
        var name = "Step" + (index + 1);
        return Diagnostics.Where(d => ClassAt(d) == name).ToList();
    }

    public Migration Create(int index)
    {
        var type = assembly.GetType("RuleExamples.Step" + (index + 1), throwOnError: true)!;
        var migration = (Migration)Activator.CreateInstance(type)!;
        migration.ActiveProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";
        return migration;
    }

    private static string? ClassAt(Diagnostic diagnostic)
    {
        var root = diagnostic.Location.SourceTree?.GetRoot();
        var node = root?.FindNode(diagnostic.Location.SourceSpan);
        return node?.AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>().FirstOrDefault()?.Identifier.ValueText;
    }
}
