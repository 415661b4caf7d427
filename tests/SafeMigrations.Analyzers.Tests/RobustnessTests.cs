using SafeMigrations.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SafeMigrations.Analyzers.Tests;

/// <summary>
/// What the analyzers see while someone types: every prefix of real migration, entity, DbContext and snapshot files must be analyzed
/// without an analyzer exception (which the IDE would show as AD0001).
/// </summary>
[TestClass]
public sealed class RobustnessTests
{
    [TestMethod]
    [DataRow("AddTodoPriority")]
    [DataRow("AddTodoDueDate")]
    [DataRow("AddTodoDueDateIndex")]
    [DataRow("InitialCreate")]
    public async Task Every_prefix_of_a_real_migration_is_analyzed_without_an_exception(string migrationName)
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
    public async Task Every_prefix_of_a_real_entity_context_or_snapshot_file_is_analyzed_without_an_exception(string file)
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
        for (var length = 0; length <= text.Length; length++)
        {
            var prefix = CSharpSyntaxTree.ParseText(text.Substring(0, length), AnalyzerRun.ParseOptions, path: path);
            await AnalyzerRun.AnalyzeAsync(baseline.AddSyntaxTrees(prefix), analyzers); // fails on an exception or AD0001, naming it
        }
    }
}
