using SafeMigrations.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SafeMigrations.Analyzers.Tests;

/// <summary>
/// What the analyzers see while someone types: the prefixes of real migration, entity, DbContext and snapshot files, cut at and inside every token, must be analyzed
/// without an analyzer exception (which the IDE would show as AD0001) and without a rule failing (SM0003).
/// </summary>
[TestClass]
public sealed class RobustnessTests
{
    [TestMethod]
    [DataRow("AddTodoPriority")]
    [DataRow("AddTodoDueDate")]
    [DataRow("AddTodoDueDateIndex")]
    [DataRow("InitialCreate")]
    public async Task Prefixes_of_a_real_migration_are_analyzed_without_an_exception(string migrationName)
    {
        var migrations = Path.Combine(RepositoryRoot.Path, "src", "Todo.Backend", "Migrations");
        var file = Directory.GetFiles(migrations, $"*_{migrationName}.cs").Single();
        var text = await File.ReadAllTextAsync(file);
        var designer = CSharpSyntaxTree.ParseText(await File.ReadAllTextAsync(Path.ChangeExtension(file, ".Designer.cs")), path: "M.Designer.cs");
        await AssertEveryPrefixIsAnalyzedAsync(text, "M.cs", [designer], new MigrationCodeAnalyzer());
    }

    [TestMethod]
    [DataRow("Models/TodoItem.cs")]
    [DataRow("Models/User.cs")]
    [DataRow("Data/TodoDbContext.cs")]
    [DataRow("Migrations/TodoDbContextModelSnapshot.cs")]
    public async Task Prefixes_of_a_real_entity_context_or_snapshot_file_are_analyzed_without_an_exception(string file)
    {
        var sources = TodoModelSources.Load();
        var others = sources.Files.Where(f => f.Key != file)
            .Select(f => CSharpSyntaxTree.ParseText(f.Value, AnalyzerRun.ParseOptions, path: f.Key))
            .Append(CSharpSyntaxTree.ParseText(TodoModelSources.GlobalUsings, AnalyzerRun.ParseOptions, path: "GlobalUsings.cs"))
            .ToList();
        await AssertEveryPrefixIsAnalyzedAsync(sources.Files[file], file, others, new ModelSnapshotAnalyzer(), new MigrationCodeAnalyzer());
    }

    private static async Task AssertEveryPrefixIsAnalyzedAsync(string text, string path, IReadOnlyList<SyntaxTree> others, params DiagnosticAnalyzer[] analyzers)
    {
        var compilationOptions = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);
        var baseline = CSharpCompilation.Create("Prefix", others, AnalyzerVerifier.References, compilationOptions);
        foreach (var length in CutPoints(text))
        {
            var prefix = CSharpSyntaxTree.ParseText(text.Substring(0, length), AnalyzerRun.ParseOptions, path: path);
            await AnalyzerRun.AnalyzeAsync(baseline.AddSyntaxTrees(prefix), analyzers); // fails on an exception, AD0001 or SM0003, naming it
        }
    }

    /// <summary>Set to 1 to cut inside trivia and every token too (about three times the work, on demand).</summary>
    public const string EveryPrefixVariable = "SAFEMIGRATIONS_EVERY_PREFIX";

    /// <summary>
    /// Where a file being typed can stop: before and after every token, and halfway through a name or a string
    /// (a half-typed one); with <see cref="EveryPrefixVariable"/>, also around and inside every piece of trivia and
    /// halfway through every token. Every character would be 3-5 times the work for the same shapes of broken code.
    /// </summary>
    private static SortedSet<int> CutPoints(string text)
    {
        var every = Environment.GetEnvironmentVariable(EveryPrefixVariable) == "1";
        var cuts = new SortedSet<int> { 0, text.Length };
        foreach (var token in CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens(descendIntoTrivia: true))
        {
            var trivia = every ? token.LeadingTrivia.Concat(token.TrailingTrivia).Select(t => t.Span) : [];
            foreach (var span in trivia.Append(token.Span))
            {
                cuts.Add(span.Start);
                if (every || token.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.IdentifierToken) || token.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.StringLiteralToken))
                {
                    cuts.Add(span.Start + (span.Length / 2));
                }

                cuts.Add(span.End);
            }
        }

        return cuts;
    }
}
