using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SafeMigrations.Analyzers.CodeFixes;

/// <summary>Removes statements the way a developer would: no blank line left where they were.</summary>
internal static class StatementRemoval
{
    public static SyntaxNode Remove(SyntaxNode root, IReadOnlyCollection<StatementSyntax> statements)
    {
        // The blank line before a following statement belongs to that statement: drop it when the statement before it goes.
        var following = statements
            .Select(s => s.Parent is BlockSyntax block ? block.Statements.ElementAtOrDefault(block.Statements.IndexOf(s) + 1) : null)
            .Where(s => s is not null && !statements.Contains(s))
            .Select(s => s!)
            .ToList();
        var tracked = root.TrackNodes(statements.Cast<SyntaxNode>().Concat(following));
        foreach (var next in following)
        {
            var current = tracked.GetCurrentNode(next)!;
            var trivia = current.GetLeadingTrivia().SkipWhile(t => t.IsKind(SyntaxKind.EndOfLineTrivia) || t.IsKind(SyntaxKind.WhitespaceTrivia) && IsBlankLineStart(current, t));
            tracked = tracked.ReplaceNode(current, current.WithLeadingTrivia(trivia));
        }

        return tracked.RemoveNodes(statements.Select(s => tracked.GetCurrentNode(s)!), SyntaxRemoveOptions.KeepNoTrivia)!;
    }

    // Whitespace followed by an end of line is a blank line; the last whitespace is the statement's indentation.
    private static bool IsBlankLineStart(SyntaxNode node, SyntaxTrivia whitespace)
    {
        var list = node.GetLeadingTrivia();
        var index = list.IndexOf(whitespace);
        return index + 1 < list.Count && list[index + 1].IsKind(SyntaxKind.EndOfLineTrivia);
    }
}
