using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static SafeMigrations.Analyzers.Tests.MigrationSources;

namespace SafeMigrations.Analyzers.Tests;

/// <summary>[SuppressMigrationRule] in a project without SafeMigrations.Abstractions: the compiler's CS0246 gets a hint that names the package.</summary>
[TestClass]
public sealed class SuppressionPackageTests
{
    [TestMethod]
    public async Task Without_the_package_the_attribute_gets_a_hint_naming_it()
    {
        var withoutAbstractions = AnalyzerVerifier.References
            .Where(r => r.Display is not { } path || !path.Contains("SafeMigrations.Abstractions", StringComparison.Ordinal))
            .ToList();
        var migration = Migration("DropDescription", "migrationBuilder.DropColumn(name: \"description\", table: \"todo_items\");",
            attributes: "[SuppressMigrationRule(\"SM1011\", Justification = \"not mapped since release 4.2\")]");
        var trees = new[] { Context, migration, Designer("DropDescription", "20261124000000_DropDescription") }
            .Select((text, i) => CSharpSyntaxTree.ParseText(text, AnalyzerRun.ParseOptions, path: i == 2 ? "M.Designer.cs" : $"F{i}.cs"));
        var compilation = CSharpCompilation.Create("NoAbstractions", trees, withoutAbstractions, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.IsTrue(compilation.GetDiagnostics().Any(d => d.Id == "CS0246"), "the compiler cannot find the attribute");

        var diagnostics = await AnalyzerRun.AnalyzeAsync(compilation);

        var hint = diagnostics.Single(d => d.Id == "SM0004");
        StringAssert.Contains(hint.GetMessage(System.Globalization.CultureInfo.InvariantCulture), "dotnet add package SafeMigrations.Abstractions");
        StringAssert.StartsWith(hint.Location.SourceTree!.GetText().ToString(hint.Location.SourceSpan), "SuppressMigrationRule(");
        Assert.IsTrue(diagnostics.Any(d => d.Id == "SM1011"), "without the attribute binding, the drop is still reported");
    }

    [TestMethod]
    public async Task With_the_package_there_is_no_hint() =>
        Assert.IsFalse((await AnalyzerRun.DiagnosticsAsync(Context,
            Migration("DropDescription", "migrationBuilder.DropColumn(name: \"description\", table: \"todo_items\");",
                attributes: "[SafeMigrations.SuppressMigrationRule(\"SM1011\", Justification = \"not mapped since release 4.2\")]"),
            Designer("DropDescription", "20261124000000_DropDescription"))).Any(d => d.Id == "SM0004"));
}
