using System;
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
using SafeMigrations.Analyzers.Model;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Analyzers.CodeFixes;

/// <summary>
/// SM1009: instead of renaming the column, keeps the old column and maps the renamed property to it.
/// Maps the property with [Column("old")], records the old name in the ModelSnapshot and the
/// migration's Designer (so the next `migrations add` sees no difference), and removes the
/// RenameColumn from Up and its inverse from Down.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(KeepColumnNameCodeFix)), Shared]
public sealed class KeepColumnNameCodeFix : CodeFixProvider
{
    private const string ModelSnapshotTypeName = "Microsoft.EntityFrameworkCore.Infrastructure.ModelSnapshot";
    private const string DbContextAttributeTypeName = "Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute";
    private const string ColumnAttributeNamespace = "System.ComponentModel.DataAnnotations.Schema";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.RenameColumn);

    // Each fix edits the entity, the snapshot and the migration together.
    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var site = await MigrationCallSite.FindAsync(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false);
            if (site is null || site.MethodName != "Up" || site.Operation(context.CancellationToken) is not RenameColumnChange rename
                || site.Context is not { } dbContext || FindSnapshot(site.Model.Compilation, dbContext, context.CancellationToken) is not { } snapshot)
            {
                continue;
            }

            // Only tables and column names are needed here, not nullability: no type argument is bound.
            var entity = SnapshotModelReader.Read(dbContext.Name, snapshot, _ => false).Entities.FirstOrDefault(e =>
                e.TableName == rename.TableName.Name && (e.Schema ?? TableName.DefaultSchema) == (rename.TableName.Schema ?? TableName.DefaultSchema));
            var property = entity?.Properties.FirstOrDefault(p => p.ColumnName == rename.NewName);
            var propertySyntax = entity is null || property is null ? null : FindProperty(site.Model.Compilation, entity.ClrName, property.Name, context.CancellationToken);
            if (entity is null || property is null || propertySyntax is null)
            {
                continue;
            }

            context.RegisterCodeFix(CodeAction.Create(
                $"Keep column \"{rename.Column}\" and map {entity.DisplayName}.{property.Name} to it",
                ct => ApplyAsync(site, rename, entity.ClrName, property.Name, propertySyntax, snapshot, ct),
                equivalenceKey: nameof(KeepColumnNameCodeFix)), diagnostic);
        }
    }

    private static async Task<Solution> ApplyAsync(MigrationCallSite site, RenameColumnChange rename, string entity, string property,
        PropertyDeclarationSyntax propertySyntax, MethodDeclarationSyntax snapshot, CancellationToken cancellationToken)
    {
        var solution = site.Document.Project.Solution;

        // The migration: no rename in Up, no rename back in Down.
        var inverse = site.Down?.Body?.Statements.OfType<ExpressionStatementSyntax>().FirstOrDefault(s => IsRename(s, site, rename.NewName, rename.Column));
        solution = solution.WithDocumentSyntaxRoot(site.Document.Id, StatementRemoval.Remove(site.Root, inverse is null ? [site.Statement] : [site.Statement, inverse]));

        // The entity: [Column("old")].
        solution = await EditAsync(solution, propertySyntax.SyntaxTree,
            root => WithUsing(root.ReplaceNode(root.FindNode(propertySyntax.Span), MapToColumn(propertySyntax, rename.Column)), ColumnAttributeNamespace),
            cancellationToken).ConfigureAwait(false);

        // The snapshot and this migration's Designer: the model keeps the old column name.
        var models = new List<SyntaxNode> { snapshot };
        models.AddRange(site.Symbol.GetMembers("BuildTargetModel").SelectMany(m => m.DeclaringSyntaxReferences).Select(r => r.GetSyntax(cancellationToken)));
        foreach (var model in models)
        {
            solution = await EditAsync(solution, model.SyntaxTree, root =>
            {
                var body = root.FindNode(model.Span);
                var statements = PropertyStatements(body, entity, property).ToList();
                return statements.Count == 0 ? root : root.ReplaceNodes(statements.Select(s => s.Expression), (original, _) => WithColumnName(original, rename.Column));
            }, cancellationToken).ConfigureAwait(false);
        }

        return solution;
    }

    private static bool IsRename(ExpressionStatementSyntax statement, MigrationCallSite site, string from, string to) =>
        statement.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "RenameColumn" } } call
        && site.Model.GetOperation(call) is Microsoft.CodeAnalysis.Operations.IInvocationOperation invocation
        && MigrationBuilderCallMapper.MapOne(invocation, new SourceLocation(null, 1, 1)) is RenameColumnChange inverse
        && inverse.Column == from && inverse.NewName == to;

    private static async Task<Solution> EditAsync(Solution solution, SyntaxTree tree, Func<SyntaxNode, SyntaxNode> edit, CancellationToken cancellationToken)
    {
        var document = solution.GetDocument(tree) is { } original ? solution.GetDocument(original.Id) : null;
        if (document is null || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root)
        {
            return solution;
        }

        return solution.WithDocumentSyntaxRoot(document.Id, edit(root));
    }

    private static MethodDeclarationSyntax? FindSnapshot(Compilation compilation, INamedTypeSymbol context, CancellationToken cancellationToken) =>
        ReferencedTypes.EntityFrameworkCore(compilation, ModelSnapshotTypeName) is { } snapshotType
        && ReferencedTypes.EntityFrameworkCore(compilation, DbContextAttributeTypeName) is { } contextAttribute
            ? SnapshotModelReader.FindSnapshots(compilation, snapshotType, contextAttribute, cancellationToken)
                .FirstOrDefault(s => SymbolEqualityComparer.Default.Equals(s.Context, context)).BuildModel
            : null;

    private static PropertyDeclarationSyntax? FindProperty(Compilation compilation, string clrName, string property, CancellationToken cancellationToken) =>
        compilation.GetTypeByMetadataName(clrName)?.GetMembers(property).OfType<IPropertySymbol>()
            .SelectMany(p => p.DeclaringSyntaxReferences).Select(r => r.GetSyntax(cancellationToken)).OfType<PropertyDeclarationSyntax>().FirstOrDefault();

    /// <summary>Sets the argument of an existing [Column(…)] or adds [Column("old")] above the property.</summary>
    private static PropertyDeclarationSyntax MapToColumn(PropertyDeclarationSyntax property, string column)
    {
        var literal = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(column));
        var existing = property.AttributeLists.SelectMany(l => l.Attributes)
            .FirstOrDefault(a => FluentChain.SimpleTypeName(a.Name) is "Column" or "ColumnAttribute");
        if (existing?.ArgumentList?.Arguments.FirstOrDefault() is { NameEquals: null, NameColon: null } first)
        {
            return property.ReplaceNode(first.Expression, literal.WithTriviaFrom(first.Expression));
        }

        var indentation = property.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
        var attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(SyntaxFactory.IdentifierName("Column"), SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.AttributeArgument(literal))))))
            .WithTrailingTrivia(SyntaxFactory.EndOfLine("\n"), indentation);
        var leading = property.GetLeadingTrivia();
        return property.WithoutLeadingTrivia().WithAttributeLists(property.AttributeLists.Insert(0, attribute)).WithLeadingTrivia(leading);
    }

    private static SyntaxNode WithUsing(SyntaxNode root, string ns)
    {
        if (root is not CompilationUnitSyntax unit || unit.Usings.Any(u => u.Name?.ToString() == ns))
        {
            return root;
        }

        return unit.AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(ns)).NormalizeWhitespace().WithTrailingTrivia(SyntaxFactory.EndOfLine("\n")));
    }

    /// <summary>b.Property&lt;T&gt;("P")… statements inside modelBuilder.Entity("Entity", b =&gt; …) blocks.</summary>
    private static IEnumerable<ExpressionStatementSyntax> PropertyStatements(SyntaxNode model, string entity, string property) =>
        SnapshotModelReader.EntityBlocks(model)
            .Where(block => block.Name == entity && block.Lambda.Block is not null)
            .SelectMany(block => block.Lambda.Block!.Statements.OfType<ExpressionStatementSyntax>().Where(statement =>
                FluentChain.Of(statement.Expression) is { Calls.Count: > 0 } chain && chain.RootIdentifier == block.Builder
                && chain.Calls[0].Name == "Property" && chain.Calls[0].StringArgument(0) == property));

    private static SyntaxNode WithColumnName(ExpressionSyntax chain, string column)
    {
        var literal = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(column));
        var hasColumnName = chain.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>()
            .FirstOrDefault(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "HasColumnName" } && i.ArgumentList.Arguments.Count == 1);
        if (hasColumnName is not null)
        {
            return chain.ReplaceNode(hasColumnName.ArgumentList.Arguments[0].Expression, literal);
        }

        var statement = chain.Parent!;
        var indentation = statement.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString();
        return SyntaxFactory.ParseExpression(chain + "\n" + indentation + "    .HasColumnName(" + literal + ")").WithTriviaFrom(chain);
    }
}
