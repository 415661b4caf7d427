using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace RealHistories;

/// <summary>
/// Compiles every .cs file of a migrations folder in memory against this program's EF Core and Npgsql, with
/// <see cref="StubSource"/> for what the folder does not contain. Files that still do not compile (they use
/// other types of their project) are dropped, repeatedly, until the rest compiles. Nothing is written to disk.
/// </summary>
internal static class HistoryCompiler
{
    private const string ImplicitUsingsFileName = "RealHistories.ImplicitUsings.cs";

    // What Microsoft.NET.Sdk adds with <ImplicitUsings>enable</ImplicitUsings>; EF then leaves these usings out of migrations.
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CompiledHistory Compile(HistoryFolder history)
    {
        var files = Directory.GetFiles(history.Path, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(Path.GetRelativePath(history.Path, path)))
            .Order(StringComparer.Ordinal)
            .ToList();
        var trees = files.Select(path => CSharpSyntaxTree.ParseText(Read(path), ParseOptions, path)).ToList();
        var found = trees.SelectMany(MigrationIds).ToHashSet(StringComparer.Ordinal);
        var stubs = StubSource.For(trees);

        // Only the migrations folder is checked out, not the project file that says whether the SDK's implicit
        // usings are on: compile without them, and with them only if that leaves fewer files out.
        var compiled = Attempt(history, trees, files.Count, found, stubs, implicitUsings: false);
        if (compiled.Dropped.Count > 0)
        {
            var withImplicitUsings = Attempt(history, trees, files.Count, found, stubs, implicitUsings: true);
            if (withImplicitUsings.Dropped.Count < compiled.Dropped.Count)
            {
                compiled = withImplicitUsings;
            }
        }

        return compiled;
    }

    private static CompiledHistory Attempt(HistoryFolder history, IReadOnlyList<SyntaxTree> inputs, int fileCount, IReadOnlyCollection<string> found, StubSource stubs, bool implicitUsings)
    {
        var harness = new HashSet<SyntaxTree> { Parse(stubs.Text, StubSource.FileName) };
        if (implicitUsings)
        {
            harness.Add(Parse(ImplicitUsings, ImplicitUsingsFileName));
        }

        var trees = inputs.ToList();
        var name = "RealHistories." + history.SafeName;
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);
        var dropped = new List<DroppedFile>();
        while (true)
        {
            var compilation = CSharpCompilation.Create(name, trees.Concat(harness), CompilationReferences.All, options);
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            var byFile = errors.Where(e => e.Location.SourceTree is { } tree && !harness.Contains(tree)).GroupBy(e => e.Location.SourceTree!).ToList();
            if (errors.Count == 0 || byFile.Count == 0)
            {
                return new CompiledHistory(compilation, harness, implicitUsings, fileCount, found, stubs, dropped, errors.Select(e => e.ToString()).ToList());
            }

            // Every failing file at once: a file that fails only because its partial half was dropped goes next round.
            foreach (var failing in byFile)
            {
                var first = failing.OrderBy(e => e.Location.SourceSpan.Start).First();
                dropped.Add(new DroppedFile(Path.GetRelativePath(history.Path, failing.Key.FilePath), failing.Count(), $"{first.Id}: {first.GetMessage(CultureInfo.InvariantCulture)}"));
                trees.Remove(failing.Key);
            }
        }
    }

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(SourceText.From(text, Encoding.UTF8), ParseOptions, path);

    private static SourceText Read(string path)
    {
        using var stream = File.OpenRead(path);
        return SourceText.From(stream);
    }

    private static bool IsBuildOutput(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");

    /// <summary>The ids of [Migration("…")] attributes, read as syntax so files that fail to compile still count.</summary>
    private static IEnumerable<string> MigrationIds(SyntaxTree tree) =>
        tree.GetRoot().DescendantNodes().OfType<AttributeSyntax>()
            .Where(a => a.Name.ToString() is "Migration" or "MigrationAttribute" || a.Name.ToString().EndsWith(".Migration", StringComparison.Ordinal))
            .Select(a => a.ArgumentList?.Arguments.FirstOrDefault()?.Expression)
            .OfType<LiteralExpressionSyntax>()
            .Select(l => l.Token.ValueText);
}
