using System.Reflection;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyModel;
using SafeMigrations.Analyzers;
using SafeMigrations.Core.Model;
using SafeMigrations.EntityFrameworkCore;
using SafeMigrations.Testing;

namespace SafeMigrations.Design.Tests;

/// <summary>
/// The two ways a migration reaches Core: the analyzers map the MigrationBuilder calls of its syntax, the design
/// host and the runner map the operations EF builds from it. On the same migrations both must give Core the same
/// changes, or a rule would say one thing in the editor and another in the build.
/// </summary>
[TestClass]
public sealed class MapperAgreementTests
{
    private static readonly JsonSerializerOptions Canonical = new() { WriteIndented = false };

    [TestMethod]
    public void The_analyzers_and_EF_map_the_reference_backends_migrations_to_the_same_changes() =>
        AssertAgree(typeof(Todo.Backend.Data.TodoDbContext).Assembly, Path.Combine(RepositoryRoot.Path, "src", "Todo.Backend", "Migrations"));

    [TestMethod]
    public void The_analyzers_and_EF_map_the_runners_fixture_migrations_to_the_same_changes() =>
        AssertAgree(typeof(Runtime.Fixture.ShopContext).Assembly, Path.Combine(RepositoryRoot.Path, "tests", "SafeMigrations.Runtime.Fixture"));

    private static void AssertAgree(Assembly assembly, string sourceFolder)
    {
        var compilation = Compile(assembly, sourceFolder);
        var types = MigrationTypes.In(compilation) ?? throw new AssertFailedException("EF Core's migration types are not referenced");
        var compared = 0;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration) is not { IsAbstract: false } symbol || !types.IsMigration(symbol)
                    || assembly.GetType(symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty, StringComparison.Ordinal)) is not { } type
                    || Method(symbol, "Up") is not { } up)
                {
                    continue;
                }

                var calls = new MigrationCalls();
                calls.Collect(compilation.GetSemanticModel(up.SyntaxTree).GetOperation(up)!, up: true, types.Builder);
                var fromSyntax = calls.Operations(up: true);
                var migration = (Migration)Activator.CreateInstance(type)!;
                migration.ActiveProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";
                IReadOnlyList<Microsoft.EntityFrameworkCore.Migrations.Operations.MigrationOperation> operations;
                try
                {
                    operations = migration.UpOperations;
                }
                catch (InvalidOperationException)
                {
                    continue; // the fixture's migration that throws while EF builds it: EF gives nothing to compare
                }

                var fromEf = WithoutWhatSyntaxCannotKnow(EfMigrationReader.Changes(operations, () => null), fromSyntax);

                Assert.AreEqual(Describe(fromEf), Describe(fromSyntax), $"{type.Name}: the syntax and EF's operations give Core different changes");
                compared++;
            }
        }

        Assert.IsGreaterThan(3, compared, "migrations compared");
    }

    /// <summary>
    /// A default given by an expression the compiler cannot evaluate (a property, a method call) has a value only at run
    /// time: the syntax knows there is a default, not which. That is the one thing the analyzers cannot see.
    /// </summary>
    private static IReadOnlyList<SchemaChange> WithoutWhatSyntaxCannotKnow(IReadOnlyList<SchemaChange> fromEf, IReadOnlyList<SchemaChange> fromSyntax)
    {
        static bool Unknown(ColumnDefinition column) => column is { HasDefaultValue: true, DefaultValue: null, DefaultValueIsClrDefault: false };
        static ColumnDefinition Blind(ColumnDefinition column) => column with { DefaultValue = null, DefaultValueIsClrDefault = false };
        return fromEf.Select((change, i) => (change, i < fromSyntax.Count ? fromSyntax[i] : null) switch
        {
            (AddColumnChange ef, AddColumnChange { Column: var syntax }) when Unknown(syntax) => ef with { Column = Blind(ef.Column) },
            (AlterColumnChange ef, AlterColumnChange { Column: var syntax }) when Unknown(syntax) => ef with { Column = Blind(ef.Column) },
            _ => change,
        }).ToList();
    }

    private static MethodDeclarationSyntax? Method(INamedTypeSymbol type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault(m => m.IsOverride)?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is MethodDeclarationSyntax method)
            {
                return method;
            }
        }

        return null;
    }

    /// <summary>Every change with every property, where it was written left out (the two sides locate differently).</summary>
    private static string Describe(IReadOnlyList<SchemaChange> changes) =>
        string.Join(Environment.NewLine, changes.Select(c => c.GetType().Name + " " + JsonSerializer.Serialize((object)(c with { Location = null, FromSql = null }), Canonical)));

    /// <summary>The migrations' sources, compiled against the assembly they were built into (for the contexts they name) and its references.</summary>
    private static CSharpCompilation Compile(Assembly assembly, string sourceFolder)
    {
        var trees = Directory.GetFiles(sourceFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains(": Migration", StringComparison.Ordinal) || f.EndsWith(".Designer.cs", StringComparison.Ordinal))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f))
            .ToList();
        var references = DependencyContext.Default!.CompileLibraries
            .SelectMany(library => library.ResolveReferencePaths())
            .Append(assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
        return CSharpCompilation.Create("Migrations", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }
}
