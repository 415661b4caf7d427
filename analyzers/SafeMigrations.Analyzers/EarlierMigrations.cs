using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Analyzers;

/// <summary>
/// What the compilation's earlier migrations established, for the rules that judge a step of a
/// multi-migration recipe (a column set NOT NULL after a NOT NULL check was added NOT VALID and
/// validated). Read only when a migration needs it; one per compilation, each earlier Up bound once.
/// </summary>
internal sealed class EarlierMigrations(Compilation compilation, MigrationTypes types)
{
    private readonly ConcurrentDictionary<INamedTypeSymbol, IReadOnlyList<SchemaChange>> upOperations = new(SymbolEqualityComparer.Default);
    private IReadOnlyList<(string Id, INamedTypeSymbol Type)>? migrations;

    /// <summary>What the migrations of the same DbContext ordered before <paramref name="migrationId"/> established.</summary>
    public SchemaHistory Before(string migrationId, ITypeSymbol? context, CancellationToken cancellationToken)
    {
        var history = new SchemaHistory();
        foreach (var (_, type) in All(cancellationToken).Where(m => string.CompareOrdinal(m.Id, migrationId) < 0 && SymbolEqualityComparer.Default.Equals(types.ContextOf(m.Type), context)))
        {
            history.Apply(upOperations.GetOrAdd(type, t => ReadUp(t, cancellationToken)));
        }

        return history;
    }

    private IReadOnlyList<(string Id, INamedTypeSymbol Type)> All(CancellationToken cancellationToken) =>
        LazyInitializer.EnsureInitialized(ref migrations, () => compilation
            .GetSymbolsWithName(_ => true, SymbolFilter.Type, cancellationToken)
            .OfType<INamedTypeSymbol>()
            .Where(t => !t.IsAbstract && types.IsMigration(t))
            .Select(t => (types.IdOf(t), t))
            .OrderBy(m => m.Item1, StringComparer.Ordinal)
            .ToList())!;

    private IReadOnlyList<SchemaChange> ReadUp(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (MigrationJudge.Override(type, "Up", cancellationToken) is not { } syntax || !MayEstablishFacts(syntax, cancellationToken))
        {
            return [];
        }

#pragma warning disable RS1030 // Another file's method is bound here, only for a migration that needs its history, at most once per compilation.
        var model = compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
        if (model.GetOperation(syntax, cancellationToken) is not { } body)
        {
            return [];
        }

        var calls = new MigrationCalls();
        calls.Collect(body, up: true, types.Builder);
        return calls.Operations(up: true);
    }

    // The facts SchemaHistory keeps all come from check constraints and their validation; a migration
    // whose Up never says "check" or "validate" establishes none, and is not bound. The text is searched
    // in place: copying out each of hundreds of Up bodies showed up in the benchmark's profile.
    private static bool MayEstablishFacts(MethodDeclarationSyntax syntax, CancellationToken cancellationToken)
    {
        var text = syntax.SyntaxTree.GetText(cancellationToken);
        return Contains(text, syntax.Span, "check") || Contains(text, syntax.Span, "validate");
    }

    private static bool Contains(SourceText text, TextSpan span, string lowerCaseWord)
    {
        for (var start = span.Start; start <= span.End - lowerCaseWord.Length; start++)
        {
            var matched = 0;
            while (matched < lowerCaseWord.Length && char.ToLowerInvariant(text[start + matched]) == lowerCaseWord[matched])
            {
                matched++;
            }

            if (matched == lowerCaseWord.Length)
            {
                return true;
            }
        }

        return false;
    }
}
