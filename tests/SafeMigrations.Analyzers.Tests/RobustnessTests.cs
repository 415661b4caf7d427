using SafeMigrations.Testing;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SafeMigrations.Analyzers.Tests;

/// <summary>
/// What the analyzer sees while someone types: every prefix of real migration files must be analyzed
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
        var exceptions = new ConcurrentBag<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]), (exception, _, _) => exceptions.Add(exception), concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new MigrationCodeAnalyzer());
        var parseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        var compilationOptions = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

        for (var length = 0; length <= text.Length; length++)
        {
            var prefix = CSharpSyntaxTree.ParseText(text.Substring(0, length), parseOptions, path: "M.cs");
            var compilation = CSharpCompilation.Create("Prefix", [prefix, designer], AnalyzerVerifier.References, compilationOptions);
            var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
            Assert.IsFalse(diagnostics.Any(d => d.Id == "AD0001"), $"AD0001 at length {length}");
            Assert.IsEmpty(exceptions, $"analyzer exception at length {length}: {exceptions.FirstOrDefault()}");
        }
    }
}
