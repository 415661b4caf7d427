using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SafeMigrations.Analyzers.Model;

namespace SafeMigrations.Analyzers.Tests;

[TestClass]
public sealed class ReferencedTypesTests
{
    private const string Source = """
        namespace Shop.Data
        {
            public class Outer { public class Inner { } }
        }

        namespace SafeMigrations
        {
            public sealed class SuppressMigrationRuleAttribute : System.Attribute { }
        }

        public class Global { }
        """;

    [TestMethod]
    public void EF_Core_types_are_found_in_the_EF_Core_assemblies_and_nowhere_else()
    {
        var withEf = Compile(AnalyzerVerifier.References);
        var migration = ReferencedTypes.EntityFrameworkCore(withEf, "Microsoft.EntityFrameworkCore.Migrations.Migration");
        Assert.IsNotNull(migration);
        Assert.AreEqual("Microsoft.EntityFrameworkCore.Relational", migration.ContainingAssembly.Name);
        Assert.IsNotNull(ReferencedTypes.EntityFrameworkCore(withEf, "Microsoft.EntityFrameworkCore.DbSet`1"));

        Assert.IsNull(ReferencedTypes.EntityFrameworkCore(Compile(AnalyzerVerifier.FrameworkOnlyReferences), "Microsoft.EntityFrameworkCore.Migrations.Migration"));
        Assert.IsNull(ReferencedTypes.EntityFrameworkCore(withEf, "System.String"), "a framework type is not an EF Core type");
    }

    [TestMethod]
    public void The_suppression_attribute_comes_from_the_Abstractions_package_or_else_from_the_projects_own_source()
    {
        const string Name = "SafeMigrations.SuppressMigrationRuleAttribute";
        var fromPackage = ReferencedTypes.Abstractions(Compile(AnalyzerVerifier.FrameworkOnlyReferences), Name);
        Assert.AreEqual("SafeMigrations.Abstractions", fromPackage?.ContainingAssembly.Name);

        var withoutPackage = AnalyzerVerifier.FrameworkOnlyReferences.Where(r => r.Display?.Contains("SafeMigrations.Abstractions", StringComparison.Ordinal) != true);
        var fromSource = ReferencedTypes.Abstractions(Compile(withoutPackage), Name);
        Assert.IsNotNull(fromSource);
        Assert.IsTrue(fromSource.Locations.Single().IsInSource);
    }

    [TestMethod]
    public void Full_names_are_compared_namespace_by_namespace_and_type_by_type()
    {
        var compilation = Compile(AnalyzerVerifier.FrameworkOnlyReferences);
        var inner = compilation.GetTypeByMetadataName("Shop.Data.Outer+Inner")!;
        var global = compilation.GetTypeByMetadataName("Global")!;

        Assert.IsTrue(ClrTypeNames.HasFullName(inner, "Shop.Data.Outer.Inner"));
        Assert.IsTrue(ClrTypeNames.HasFullName(inner.ContainingType, "Shop.Data.Outer"));
        Assert.IsTrue(ClrTypeNames.HasFullName(global, "Global"));
        Assert.IsFalse(ClrTypeNames.HasFullName(inner, "Data.Outer.Inner"), "a missing outer namespace");
        Assert.IsFalse(ClrTypeNames.HasFullName(inner, "XShop.Data.Outer.Inner"), "a longer outer namespace");
        Assert.IsFalse(ClrTypeNames.HasFullName(inner, "Shop.DataOuter.Inner"), "a missing separator");
        Assert.IsFalse(ClrTypeNames.HasFullName(global, "X.Global"));
        Assert.IsFalse(ClrTypeNames.HasFullName(null, "Global"));
        Assert.AreEqual("Shop", ClrTypeNames.OutermostNamespace(inner));
        Assert.AreEqual(string.Empty, ClrTypeNames.OutermostNamespace(global));
    }

    private static CSharpCompilation Compile(IEnumerable<MetadataReference> references) =>
        CSharpCompilation.Create("ReferencedTypesTest", [CSharpSyntaxTree.ParseText(Source)], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
}
