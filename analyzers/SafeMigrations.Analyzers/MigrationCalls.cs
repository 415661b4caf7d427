using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Analyzers;

/// <summary>The MigrationBuilder calls found in one migration's Up and Down, with where each was made.</summary>
internal sealed class MigrationCalls
{
    private readonly List<(bool Up, SchemaChange Operation, int Position)> operations = [];
    private readonly Dictionary<SourceLocation, Location> locations = [];

    public bool HasDown => operations.Any(o => !o.Up);

    public void Collect(IOperation body, bool up, INamedTypeSymbol builder)
    {
        foreach (var invocation in body.Descendants().OfType<IInvocationOperation>())
        {
            if (!SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, builder) && !IsBackfill(invocation.TargetMethod))
            {
                continue;
            }

            var syntax = invocation.Syntax;
            var location = syntax.GetLocation();
            var span = location.GetLineSpan();
            var source = new SourceLocation(span.Path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1);
            foreach (var operation in MigrationBuilderCallMapper.Map(invocation, source))
            {
                operations.Add((up, operation, syntax.SpanStart));
                Register(source, location);
            }
        }
    }

    /// <summary>migrationBuilder.Backfill(…), SafeMigrations.Runtime's extension method: a batched data update.</summary>
    private static bool IsBackfill(IMethodSymbol method) =>
        method is { IsExtensionMethod: true, Name: "Backfill", ContainingType.Name: "MigrationBuilderBackfillExtensions" };

    public void Register(SourceLocation source, Location location)
    {
        if (!locations.ContainsKey(source))
        {
            locations[source] = location;
        }
    }

    public Location? Find(SourceLocation source) => locations.TryGetValue(source, out var location) ? location : null;

    public IReadOnlyList<SchemaChange> Operations(bool up) =>
        operations.Where(o => o.Up == up).OrderBy(o => o.Position).Select(o => o.Operation).ToList();
}
