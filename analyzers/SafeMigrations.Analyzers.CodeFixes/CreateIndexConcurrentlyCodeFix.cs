using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Analyzers.CodeFixes;

/// <summary>
/// SM1001: builds the index concurrently (the Npgsql:CreatedConcurrently annotation). When other
/// operations share the migration (SM1003 for an index already concurrent), moves the index to a
/// migration of its own, right after this one, because CONCURRENTLY cannot run in EF's transaction.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CreateIndexConcurrentlyCodeFix)), Shared]
public sealed class CreateIndexConcurrentlyCodeFix : CodeFixProvider
{
    internal const string ConcurrentAnnotation = "Npgsql:CreatedConcurrently";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.NonConcurrentIndex, RuleIds.NonTransactionalOperationNotAlone);

    private const string AnnotateKey = nameof(CreateIndexConcurrentlyCodeFix) + ".Annotate";

    /// <summary>Fix all annotates every lone index; moving indexes creates migrations, one decision at a time.</summary>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(async (fixAll, document, diagnostics) =>
    {
        if (fixAll.CodeActionEquivalenceKey != AnnotateKey || await document.GetSyntaxRootAsync(fixAll.CancellationToken).ConfigureAwait(false) is not { } root)
        {
            return document;
        }

        var statements = new List<ExpressionStatementSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            var site = await MigrationCallSite.FindAsync(document, diagnostic.Location.SourceSpan, fixAll.CancellationToken).ConfigureAwait(false);
            if (site is { CalledMethod: "CreateIndex", StatementCount: 1 } && !IsConcurrent(site.Statement.Expression))
            {
                statements.Add(site.Statement);
            }
        }

        return document.WithSyntaxRoot(root.ReplaceNodes(statements.Select(s => s.Expression), (original, _) => WithConcurrentAnnotation((ExpressionStatementSyntax)original.Parent!)));
    });

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var site = await MigrationCallSite.FindAsync(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false);
            if (site is null || site.CalledMethod != "CreateIndex" || site.MethodName != "Up")
            {
                continue;
            }

            var concurrent = IsConcurrent(site.Statement.Expression);
            if (site.StatementCount == 1 && !concurrent)
            {
                context.RegisterCodeFix(CodeAction.Create(
                    "Create the index concurrently",
                    ct => Task.FromResult(context.Document.WithSyntaxRoot(site.Root.ReplaceNode(site.Statement.Expression, WithConcurrentAnnotation(site.Statement)))),
                    equivalenceKey: AnnotateKey), diagnostic);
            }
            else if (site.StatementCount > 1)
            {
                context.RegisterCodeFix(CodeAction.Create(
                    "Create the index concurrently in a migration of its own",
                    ct => MoveToOwnMigrationAsync(site, concurrent, ct),
                    equivalenceKey: nameof(CreateIndexConcurrentlyCodeFix) + ".Move"), diagnostic);
            }
        }
    }

    private static bool IsConcurrent(ExpressionSyntax expression) =>
        expression.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().Any(i =>
            i.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Annotation" }
            && i.ArgumentList.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax { Token.ValueText: ConcurrentAnnotation });

    private static ExpressionSyntax WithConcurrentAnnotation(ExpressionStatementSyntax statement)
    {
        var indent = statement.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString();
        var annotated = SyntaxFactory.ParseExpression(statement.Expression.ToString() + "\n" + indent + "    .Annotation(\"" + ConcurrentAnnotation + "\", true)");
        return annotated.WithTriviaFrom(statement.Expression);
    }

    private static async Task<Solution> MoveToOwnMigrationAsync(MigrationCallSite site, bool concurrent, CancellationToken cancellationToken)
    {
        var index = site.Operation(cancellationToken) as CreateIndexChange;
        var compilation = await site.Document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        var name = index?.Name ?? "Index";
        var className = NewMigrationFile.ClassName(compilation!, site.Symbol.Name + "Create" + name + "Concurrently");
        var id = NewMigrationFile.NextId(site.MigrationId, className);

        var up = (concurrent ? site.Statement.Expression : WithConcurrentAnnotation(site.Statement)).ToString() + ";";
        var down = string.Empty;
        var inverse = index is null ? null : FindDropIndex(site.Down, index.Name);
        if (inverse is not null)
        {
            down = inverse.ToString();
        }
        else if (index is not null)
        {
            down = "migrationBuilder.DropIndex(\n                name: " + Literal(index.Name) + ",\n                table: " + Literal(index.TableName.Name)
                + (index.TableName.Schema is { } schema ? ",\n                schema: " + Literal(schema) : string.Empty) + ");";
        }

        var root = StatementRemoval.Remove(site.Root, inverse is null ? [site.Statement] : [site.Statement, inverse]);
        var document = site.Document.WithSyntaxRoot(root);
        return NewMigrationFile.Add(document, site.Symbol, site.Context, className, id, up, down);
    }

    private static ExpressionStatementSyntax? FindDropIndex(MethodDeclarationSyntax? down, string name) =>
        down?.Body?.Statements.OfType<ExpressionStatementSyntax>().FirstOrDefault(s =>
            s.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "DropIndex" } } drop
            && drop.ArgumentList.Arguments.Any(a => a.Expression is LiteralExpressionSyntax literal && literal.Token.ValueText == name
                && (a.NameColon is null || a.NameColon.Name.Identifier.ValueText == "name")));

    private static string Literal(string value) => SyntaxFactory.Literal(value).ToString();
}
