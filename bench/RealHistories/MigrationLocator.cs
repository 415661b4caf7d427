using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RealHistories;

/// <summary>Which migration a place in the compiled source belongs to, and where a migration is written.</summary>
internal sealed class MigrationLocator(CompiledHistory history, string folder)
{
    private const string MigrationAttributeName = "Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute";
    private const string MigrationTypeName = "Microsoft.EntityFrameworkCore.Migrations.Migration";

    /// <summary>Stands for findings in the stub DbContext (the model snapshot's comparison lands there).</summary>
    public const string StubMigrationId = "(stub DbContext)";

    private readonly Dictionary<SyntaxTree, SemanticModel> models = [];

    /// <summary>The non-abstract migrations with a [Migration] id in the compilation, by id.</summary>
    public IReadOnlyDictionary<string, INamedTypeSymbol> Migrations()
    {
        var migrationType = history.Compilation.GetTypeByMetadataName(MigrationTypeName);
        var result = new Dictionary<string, INamedTypeSymbol>(StringComparer.Ordinal);
        foreach (var type in AllTypes(history.Compilation.Assembly.GlobalNamespace))
        {
            if (!type.IsAbstract && DerivesFrom(type, migrationType) && IdOf(type) is { } id)
            {
                result.TryAdd(id, type);
            }
        }

        return result;
    }

    /// <summary>The [Migration] id of the class around <paramref name="location"/>, else the file name.</summary>
    public string MigrationIdAt(Location location)
    {
        if (location.SourceTree is not { } tree)
        {
            return "(no location)";
        }

        if (history.HarnessTrees.Contains(tree))
        {
            return StubMigrationId;
        }

        var declaration = tree.GetRoot().FindNode(location.SourceSpan).AncestorsAndSelf().OfType<ClassDeclarationSyntax>().LastOrDefault();
        if (declaration is not null && Model(tree).GetDeclaredSymbol(declaration) is INamedTypeSymbol type && IdOf(type) is { } id)
        {
            return id;
        }

        return FileStem(tree.FilePath);
    }

    /// <summary>file:line relative to the migrations folder.</summary>
    public string Describe(Location location)
    {
        if (location.SourceTree is { } tree && history.HarnessTrees.Contains(tree))
        {
            return Path.GetFileName(tree.FilePath);
        }

        var span = location.GetLineSpan();
        return span.Path.Length == 0 ? "(no location)" : $"{Path.GetRelativePath(folder, span.Path)}:{span.StartLinePosition.Line + 1}";
    }

    /// <summary>The file holding the migration's Up method (EF writes it in &lt;id&gt;.cs, the attributes in the Designer).</summary>
    public string SourceFileOf(INamedTypeSymbol migration)
    {
        var up = UpSyntax(migration) ?? migration.DeclaringSyntaxReferences.FirstOrDefault();
        return up is null ? "(unknown)" : Path.GetRelativePath(folder, up.SyntaxTree.FilePath);
    }

    /// <summary>The ids of migrations whose Up is in a file Roslyn treats as generated code, which the analyzers skip.</summary>
    public IReadOnlyList<string> InGeneratedFiles() =>
        Migrations().Where(m => UpSyntax(m.Value) is { } up && GeneratedCode.IsGenerated(up.SyntaxTree))
            .Select(m => m.Key).Order(StringComparer.Ordinal).ToList();

    private static SyntaxReference? UpSyntax(INamedTypeSymbol migration) =>
        migration.GetMembers("Up").SelectMany(m => m.DeclaringSyntaxReferences).FirstOrDefault();

    private static string? IdOf(INamedTypeSymbol type) =>
        type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == MigrationAttributeName)?
            .ConstructorArguments.FirstOrDefault().Value as string;

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol? baseType)
    {
        for (var current = type.BaseType; current is not null && baseType is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol ns) =>
        ns.GetTypeMembers().SelectMany(t => t.GetTypeMembers().Prepend(t))
            .Concat(ns.GetNamespaceMembers().SelectMany(AllTypes));

    private static string FileStem(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return name.EndsWith(".Designer", StringComparison.OrdinalIgnoreCase) ? name[..^".Designer".Length] : name;
    }

    private SemanticModel Model(SyntaxTree tree)
    {
        if (!models.TryGetValue(tree, out var model))
        {
            models[tree] = model = history.Compilation.GetSemanticModel(tree);
        }

        return model;
    }
}
