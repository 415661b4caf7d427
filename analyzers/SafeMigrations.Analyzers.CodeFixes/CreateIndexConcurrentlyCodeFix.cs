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
using Microsoft.CodeAnalysis.Text;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Analyzers.CodeFixes;

/// <summary>
/// SM1001: builds the index concurrently, in Core's re-runnable form (IndexSql: the INVALID index a failed build
/// leaves is dropped first, then CREATE INDEX CONCURRENTLY IF NOT EXISTS, with the suppressions that say why), the
/// form the generator and the safemig-index template write. An index that form does not express (a filter, a
/// method, sort orders, options), or a project without SafeMigrations.Abstractions for the suppressions, gets the
/// Npgsql:CreatedConcurrently annotation instead. When other operations share the migration (SM1003 for an index
/// already concurrent), the index moves to a migration of its own, right after this one, because CONCURRENTLY
/// cannot run in EF's transaction.
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

        var lone = new List<MigrationCallSite>();
        foreach (var diagnostic in diagnostics)
        {
            var site = await MigrationCallSite.FindAsync(document, diagnostic.Location.SourceSpan, fixAll.CancellationToken).ConfigureAwait(false);
            if (site is { CalledMethod: "CreateIndex", StatementCount: 1 } && !IsConcurrent(site.Statement.Expression))
            {
                lone.Add(site);
            }
        }

        // One lone index per migration: each document has at most one statement to rewrite.
        return lone.Count == 1 ? await MakeConcurrentAsync(lone[0], fixAll.CancellationToken).ConfigureAwait(false) : document;
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
                    ct => MakeConcurrentAsync(site, ct),
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

    /// <summary>The lone index rewritten in place: Core's re-runnable form with its suppressions, else the annotation.</summary>
    private static async Task<Document> MakeConcurrentAsync(MigrationCallSite site, CancellationToken cancellationToken)
    {
        if (Rerunnable(site, cancellationToken) is not { } form)
        {
            return site.Document.WithSyntaxRoot(site.Root.ReplaceNode(site.Statement.Expression, WithConcurrentAnnotation(site.Statement)));
        }

        var text = await site.Document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var indent = site.Statement.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString();
        var classIndent = site.Class.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString();
        var classStart = site.Class.AttributeLists.Count > 0 ? site.Class.AttributeLists[site.Class.AttributeLists.Count - 1].FullSpan.End : (site.Class.Modifiers.Count > 0 ? site.Class.Modifiers[0].SpanStart : site.Class.Keyword.SpanStart);
        var lineStart = text.Lines.GetLineFromPosition(classStart).Start;
        var attributes = string.Concat(form.Attributes.Select(a => classIndent + a + "\n"));
        return site.Document.WithText(text.WithChanges(
            new TextChange(new Microsoft.CodeAnalysis.Text.TextSpan(lineStart, 0), attributes),
            new TextChange(site.Statement.Span, string.Join("\n\n" + indent, form.Statements))));
    }

    /// <summary>
    /// Core's re-runnable statements and the suppressions they need, when Core's statement writes exactly this index (its
    /// name, table, schema and columns, nothing else) and the project can compile [SuppressMigrationRule]; else null.
    /// </summary>
    private static (string[] Statements, string[] Attributes)? Rerunnable(MigrationCallSite site, CancellationToken cancellationToken)
    {
        var plain = site.Statement.Expression == site.Call || IsConcurrent(site.Statement.Expression) && site.Statement.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: var inner } } && inner == site.Call;
        if (!plain || site.Call.ArgumentList.Arguments.Any(a => a.NameColon?.Name.Identifier.ValueText is not ("name" or "table" or "column" or "columns" or "schema"))
            || site.Operation(cancellationToken) is not CreateIndexChange { Filter: null, IsUnique: false } index || index.Columns.Count == 0
            || site.Model.Compilation.GetTypeByMetadataName(SuppressionAttribute) is null)
        {
            return null;
        }

        return (
            [
                "migrationBuilder.Sql(" + Literal(IndexSql.DropIfInvalid(index.TableName.Schema, index.Name)) + ");",
                "migrationBuilder.Sql(" + Literal(IndexSql.CreateConcurrently(index.TableName, index.Name, index.Columns, unique: false)) + ", suppressTransaction: true);",
            ],
            IndexSql.RerunnableBuildSuppressions.Select(s => "[SafeMigrations.SuppressMigrationRule(" + Literal(s.RuleId) + ", Justification = " + Literal(s.Justification) + ")]").ToArray());
    }

    private const string SuppressionAttribute = "SafeMigrations.SuppressMigrationRuleAttribute";

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

        var rerunnable = Rerunnable(site, cancellationToken);
        var up = rerunnable is { } form ? string.Join("\n\n", form.Statements) : (concurrent ? site.Statement.Expression : WithConcurrentAnnotation(site.Statement)).ToString() + ";";
        var down = string.Empty;
        var inverse = index is null ? null : FindDropIndex(site.Down, index.Name);
        if (rerunnable is not null && index is not null)
        {
            down = "migrationBuilder.Sql(" + Literal(IndexSql.DropConcurrently(new DropIndexChange(index.Name, index.TableName))!) + ", suppressTransaction: true);";
        }
        else if (inverse is not null)
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
        return NewMigrationFile.Add(document, site.Symbol, site.Context, className, id, up, down, rerunnable?.Attributes ?? []);
    }

    private static ExpressionStatementSyntax? FindDropIndex(MethodDeclarationSyntax? down, string name) =>
        down?.Body?.Statements.OfType<ExpressionStatementSyntax>().FirstOrDefault(s =>
            s.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "DropIndex" } } drop
            && drop.ArgumentList.Arguments.Any(a => a.Expression is LiteralExpressionSyntax literal && literal.Token.ValueText == name
                && (a.NameColon is null || a.NameColon.Name.Identifier.ValueText == "name")));

    private static string Literal(string value) => SyntaxFactory.Literal(value).ToString();
}
