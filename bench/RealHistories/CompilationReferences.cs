using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.DependencyModel;

namespace RealHistories;

/// <summary>
/// The assemblies the migrations are compiled against: this program's own compile-time dependencies
/// (PreserveCompilationContext), so EF Core 10 and Npgsql 10 as this repository pins them, with nothing
/// downloaded. The same assemblies are loaded at run time, so the compiled migrations can be executed.
/// </summary>
internal static class CompilationReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyAll = new(Load);
    private static readonly Lazy<IReadOnlySet<string>> LazyNamespaces = new(LoadNamespaces);

    public static ImmutableArray<MetadataReference> All => LazyAll.Value;

    /// <summary>Every namespace the references declare: a using naming another one points into the history's own project.</summary>
    public static IReadOnlySet<string> Namespaces => LazyNamespaces.Value;

    private static ImmutableArray<MetadataReference> Load()
    {
        var context = DependencyContext.Default
            ?? throw new InvalidOperationException("No dependency context: build RealHistories with PreserveCompilationContext.");
        return context.CompileLibraries
            .SelectMany(library => library.ResolveReferencePaths())
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }

    private static HashSet<string> LoadNamespaces()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        Collect(CSharpCompilation.Create("references", references: All).GlobalNamespace, names);
        return names;
    }

    private static void Collect(INamespaceSymbol parent, HashSet<string> names)
    {
        foreach (var child in parent.GetNamespaceMembers())
        {
            names.Add(child.ToDisplayString());
            Collect(child, names);
        }
    }
}
