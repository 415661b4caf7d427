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
using SafeMigrations.Core.Rules;
using Suppression = SafeMigrations.Core.Model.Suppression;

namespace SafeMigrations.Analyzers.CodeFixes;

/// <summary>
/// Any migration rule: puts [SuppressMigrationRule("SMxxxx", Justification = "TODO: say why this is safe")]
/// on the migration class. The placeholder is not accepted as a justification (SM0001) until the
/// developer replaces it, so a suppression is always a decision somebody wrote down.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SuppressWithJustificationCodeFix)), Shared]
public sealed class SuppressWithJustificationCodeFix : CodeFixProvider
{
    private const string AttributeTypeName = "SafeMigrations.SuppressMigrationRuleAttribute";
    private const string MigrationTypeName = "Microsoft.EntityFrameworkCore.Migrations.Migration";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        RuleCatalog.MigrationDescriptors.Select(rule => rule.Id).ToImmutableArray();

    public override FixAllProvider GetFixAllProvider() => new SuppressAll();

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || ReferencedTypes.Abstractions(model.Compilation, AttributeTypeName) is null)
        {
            return; // SafeMigrations.Abstractions is not referenced: the attribute would not compile
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (MigrationClass(root, model, diagnostic, context.CancellationToken) is not { } migration || HasSuppression(migration, diagnostic.Id))
            {
                continue;
            }

            context.RegisterCodeFix(CodeAction.Create(
                $"Suppress {diagnostic.Id} on this migration (write the justification)",
                ct => Task.FromResult(context.Document.WithSyntaxRoot(Suppress(root, [(migration, diagnostic.Id)]))),
                equivalenceKey: nameof(SuppressWithJustificationCodeFix) + diagnostic.Id), diagnostic);
        }
    }

    private static ClassDeclarationSyntax? MigrationClass(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var type = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<ClassDeclarationSyntax>().FirstOrDefault();
        if (type is null || model.GetDeclaredSymbol(type, cancellationToken) is not INamedTypeSymbol symbol)
        {
            return null;
        }

        for (var current = symbol.BaseType; current is not null; current = current.BaseType)
        {
            if (current.ToDisplayString() == MigrationTypeName)
            {
                return type;
            }
        }

        return null;
    }

    private static bool HasSuppression(ClassDeclarationSyntax type, string id) =>
        type.AttributeLists.SelectMany(l => l.Attributes).Any(a =>
            a.Name.ToString().EndsWith("SuppressMigrationRule", System.StringComparison.Ordinal)
            && a.ArgumentList?.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax literal && literal.Token.ValueText == id);

    private static SyntaxNode Suppress(SyntaxNode root, IReadOnlyList<(ClassDeclarationSyntax Type, string Id)> suppressions)
    {
        var byClass = suppressions.GroupBy(s => s.Type).ToList();
        var updated = root.ReplaceNodes(byClass.Select(g => g.Key), (original, _) =>
        {
            var ids = byClass.First(g => g.Key == original).Select(s => s.Id).Distinct().Where(id => !HasSuppression(original, id)).OrderBy(id => id, System.StringComparer.Ordinal);
            // The class's leading trivia (its doc comment) moves to the first attribute, so the attribute lands under it.
            var leading = original.GetLeadingTrivia();
            var withAttributes = original.AttributeLists.Count == 0 ? original.WithoutLeadingTrivia() : original;
            foreach (var id in ids)
            {
                var attribute = SyntaxFactory.ParseCompilationUnit($"[SuppressMigrationRule(\"{id}\", Justification = \"{Suppression.JustificationPlaceholder}\")] class C {{ }}")
                    .DescendantNodes().OfType<AttributeListSyntax>().First()
                    .WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed);
                withAttributes = withAttributes.AddAttributeLists(attribute);
            }

            return original.AttributeLists.Count == 0 ? withAttributes.WithLeadingTrivia(leading) : withAttributes;
        });

        if (updated is CompilationUnitSyntax unit && !unit.Usings.Any(u => u.Name?.ToString() == "SafeMigrations"))
        {
            updated = unit.AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.ParseName("SafeMigrations")).NormalizeWhitespace().WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed));
        }

        return updated.WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
    }

    /// <summary>Fix all: one attribute per rule and migration class, however many diagnostics it has.</summary>
    private sealed class SuppressAll : DocumentBasedFixAllProvider
    {
        protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
        {
            var root = await document.GetSyntaxRootAsync(fixAllContext.CancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(fixAllContext.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null || ReferencedTypes.Abstractions(model.Compilation, AttributeTypeName) is null)
            {
                return document;
            }

            var targets = diagnostics
                .Select(d => (Type: MigrationClass(root, model, d, fixAllContext.CancellationToken), d.Id))
                .Where(t => t.Type is not null)
                .Select(t => (t.Type!, t.Id))
                .ToList();
            return targets.Count == 0 ? document : document.WithSyntaxRoot(Suppress(root, targets));
        }
    }
}
