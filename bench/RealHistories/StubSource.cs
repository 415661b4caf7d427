using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RealHistories;

/// <summary>
/// Source that lets a migrations folder compile on its own. Its files name the project's DbContext
/// (<c>[DbContext(typeof(X))]</c>) and import the project's namespaces, neither of which is in the folder:
/// each such DbContext becomes an empty DbContext subclass, and each imported namespace that no reference
/// declares is declared (empty, or holding the DbContext).
/// </summary>
/// <param name="Notes">What was declared, for the report.</param>
internal sealed record StubSource(string Text, IReadOnlyList<string> Notes)
{
    public const string FileName = "RealHistories.Stubs.cs";

    public static StubSource For(IReadOnlyList<SyntaxTree> trees)
    {
        // The project's namespaces, whether or not a migration file also declares them (IoTSharp's
        // migrations live in IoTSharp.Data.PostgreSQL.Migrations and import IoTSharp.Data).
        var known = CompilationReferences.Namespaces;
        var declaredTypes = trees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<BaseTypeDeclarationSyntax>())
            .Select(d => d.Identifier.ValueText).ToHashSet(StringComparer.Ordinal);
        var projectImports = trees.ToDictionary(t => t, t => ImportedNamespaces(t).Where(n => !known.Contains(n)).ToHashSet(StringComparer.Ordinal));

        var contexts = new SortedSet<(string Namespace, string Type)>();
        var simpleUses = new Dictionary<string, List<(SyntaxTree Tree, string Namespace)>>(StringComparer.Ordinal);
        foreach (var tree in trees)
        {
            foreach (var (type, enclosing) in ContextTypes(tree))
            {
                switch (type)
                {
                    case IdentifierNameSyntax simple when !declaredTypes.Contains(simple.Identifier.ValueText):
                        if (!simpleUses.TryGetValue(simple.Identifier.ValueText, out var sites))
                        {
                            simpleUses[simple.Identifier.ValueText] = sites = [];
                        }

                        sites.Add((tree, enclosing));
                        break;
                    case QualifiedNameSyntax qualified when !declaredTypes.Contains(qualified.Right.Identifier.ValueText):
                        contexts.Add((WithoutGlobal(qualified.Left.ToString()), qualified.Right.Identifier.ValueText));
                        break;
                    case AliasQualifiedNameSyntax global when !declaredTypes.Contains(global.Name.Identifier.ValueText):
                        contexts.Add((string.Empty, global.Name.Identifier.ValueText));
                        break;
                }
            }
        }

        foreach (var (name, sites) in simpleUses)
        {
            // One namespace for the context, so all migrations name the same type: the project import
            // most of its files share (the project's own namespace; NBitcoin or Newtonsoft.Json lose).
            var home = sites.SelectMany(s => projectImports[s.Tree].Select(n => (Import: n, Site: s.Namespace)))
                .GroupBy(p => p.Import, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenByDescending(g => g.Max(p => SharedPrefixLength(p.Import, p.Site)))
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Key)
                .FirstOrDefault();
            if (home is not null)
            {
                contexts.Add((home, name));
            }

            // A file that neither imports that namespace nor sits inside it gets the context in its own
            // namespace, which name lookup searches before any import, so no ambiguity arises.
            foreach (var site in sites.Where(s => home is null || !(projectImports[s.Tree].Contains(home) || IsWithin(s.Namespace, home))))
            {
                contexts.Add((site.Namespace, name));
            }
        }

        var namespaces = projectImports.Values.SelectMany(n => n).Concat(contexts.Select(c => c.Namespace)).ToHashSet(StringComparer.Ordinal);
        var text = new StringBuilder();
        var notes = new List<string>();
        foreach (var ns in namespaces.Order(StringComparer.Ordinal))
        {
            var types = contexts.Where(c => c.Namespace == ns).Select(c => c.Type).ToList();
            if (ns.Length > 0)
            {
                text.Append("namespace ").Append(ns).AppendLine(" {");
            }

            foreach (var type in types)
            {
                text.Append("public class ").Append(type).AppendLine(" : global::Microsoft.EntityFrameworkCore.DbContext { }");
                notes.Add($"DbContext {(ns.Length == 0 ? type : ns + "." + type)}");
            }

            if (ns.Length > 0)
            {
                text.AppendLine("}");
                if (types.Count == 0)
                {
                    notes.Add($"namespace {ns}");
                }
            }
        }

        return new StubSource(text.ToString(), notes);
    }

    private static IEnumerable<string> ImportedNamespaces(SyntaxTree tree) =>
        tree.GetRoot().DescendantNodes(node => node is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .OfType<UsingDirectiveSyntax>()
            .Where(u => u.Alias is null && u.StaticKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.None) && u.Name is not null)
            .Select(u => WithoutGlobal(u.Name!.ToString()));

    /// <summary>The type in each [DbContext(typeof(X))], with the namespace the attribute is declared in.</summary>
    private static IEnumerable<(TypeSyntax Type, string Namespace)> ContextTypes(SyntaxTree tree) =>
        tree.GetRoot().DescendantNodes().OfType<AttributeSyntax>()
            .Where(a => LastIdentifier(a.Name) is "DbContext" or "DbContextAttribute")
            .Select(a => a.ArgumentList?.Arguments.FirstOrDefault()?.Expression)
            .OfType<TypeOfExpressionSyntax>()
            .Select(t => (t.Type, EnclosingNamespace(t)));

    private static string? LastIdentifier(NameSyntax name) => name switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => null,
    };

    private static string EnclosingNamespace(SyntaxNode node) =>
        string.Join('.', node.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Reverse().Select(n => n.Name.ToString()));

    private static bool IsWithin(string ns, string outer) => ns == outer || ns.StartsWith(outer + ".", StringComparison.Ordinal);

    private static int SharedPrefixLength(string a, string b) =>
        a.Split('.').Zip(b.Split('.')).TakeWhile(p => p.First == p.Second).Count();

    private static string WithoutGlobal(string name) => name.StartsWith("global::", StringComparison.Ordinal) ? name["global::".Length..] : name;
}
