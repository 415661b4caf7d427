using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Analyzers.CodeFixes;

/// <summary>The MigrationBuilder call a diagnostic points at, with the migration around it.</summary>
internal sealed class MigrationCallSite
{
    private const string DbContextAttributeName = "Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute";

    private MigrationCallSite(Document document, SyntaxNode root, SemanticModel model, InvocationExpressionSyntax call, ExpressionStatementSyntax statement,
        MethodDeclarationSyntax method, ClassDeclarationSyntax type, INamedTypeSymbol symbol)
    {
        Document = document;
        Root = root;
        Model = model;
        Call = call;
        Statement = statement;
        Method = method;
        Class = type;
        Symbol = symbol;
    }

    public Document Document { get; }

    public SyntaxNode Root { get; }

    public SemanticModel Model { get; }

    /// <summary>The call itself (for a chain such as CreateIndex(…).Annotation(…), the CreateIndex call).</summary>
    public InvocationExpressionSyntax Call { get; }

    public ExpressionStatementSyntax Statement { get; }

    /// <summary>Up (or Down) of the migration.</summary>
    public MethodDeclarationSyntax Method { get; }

    public ClassDeclarationSyntax Class { get; }

    public INamedTypeSymbol Symbol { get; }

    public string MethodName => ((IMethodSymbol)Model.GetDeclaredSymbol(Method)!).Name;

    public string CalledMethod => Call.Expression is MemberAccessExpressionSyntax member ? member.Name.Identifier.ValueText : string.Empty;

    /// <summary>The statements of the method the call is in: whether the call is alone in its migration.</summary>
    public int StatementCount => Method.Body?.Statements.Count ?? 1;

    /// <summary>The id the analyzer reported under (the same reading of [Migration]).</summary>
    public string MigrationId => MigrationTypes.In(Model.Compilation)?.IdOf(Symbol) ?? Symbol.Name;

    public INamedTypeSymbol? Context =>
        Symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == DbContextAttributeName)?.ConstructorArguments.FirstOrDefault().Value as INamedTypeSymbol;

    public MethodDeclarationSyntax? Down => Class.Members.OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.Identifier.ValueText == "Down");

    /// <summary>
    /// The call as a Core operation (names, tables, columns), as the analyzer saw it; null unless every
    /// name it is given is a compile-time constant: a fix that writes SQL must not guess a name.
    /// </summary>
    public SchemaChange? Operation(CancellationToken cancellationToken) =>
        Model.GetOperation(Call, cancellationToken) is IInvocationOperation invocation && new InvocationArguments(invocation).NamesAreConstant()
            ? MigrationBuilderCallMapper.MapOne(invocation, new SourceLocation(Document.FilePath, 1, 1))
            : null;

    public static async Task<MigrationCallSite?> FindAsync(Document document, TextSpan span, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        var node = root.FindNode(span, getInnermostNodeForTie: true);
        var call = node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>()
            .FirstOrDefault(i => i.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax });
        var statement = call?.Ancestors().OfType<ExpressionStatementSyntax>().FirstOrDefault();
        var method = statement?.Ancestors().OfType<MethodDeclarationSyntax>().FirstOrDefault();
        var type = method?.Ancestors().OfType<ClassDeclarationSyntax>().FirstOrDefault();
        if (call is null || statement is null || method is null || type is null || model.GetDeclaredSymbol(type, cancellationToken) is not INamedTypeSymbol symbol)
        {
            return null;
        }

        return new MigrationCallSite(document, root, model, call, statement, method, type, symbol);
    }
}
