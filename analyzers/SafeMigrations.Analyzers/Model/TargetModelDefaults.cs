using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SafeMigrations.Analyzers.Model;

/// <summary>
/// Which columns a migration's target model (the BuildTargetModel EF writes into its Designer file, or a
/// ModelSnapshot's BuildModel) gives a default with HasDefaultValue or HasDefaultValueSql. EF's differ
/// writes the same <c>defaultValue: false</c> whether the developer configured it or EF filled it in;
/// the target model tells the two apart. Read as syntax, like the snapshot.
/// </summary>
internal sealed class TargetModelDefaults
{
    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal) { "Entity", "OwnsOne", "OwnsMany" };

    private readonly Dictionary<(string? Table, string? Schema, string Column), bool> configured = new();

    private TargetModelDefaults()
    {
    }

    public static TargetModelDefaults Read(MethodDeclarationSyntax buildTargetModel)
    {
        var defaults = new TargetModelDefaults();
        foreach (var lambda in buildTargetModel.DescendantNodes().OfType<LambdaExpressionSyntax>())
        {
            if (lambda.Parent?.Parent?.Parent is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member }
                && Blocks.Contains(member.Name.Identifier.ValueText)
                && SnapshotModelReader.ParameterOf(lambda) is { } builder)
            {
                defaults.ReadBlock(lambda, builder);
            }
        }

        return defaults;
    }

    /// <summary>True or false when the target model has the column; null when it does not (a hand-written migration, a shape we do not read).</summary>
    public bool? IsConfigured(string table, string? schema, string column)
    {
        if (configured.TryGetValue((table, schema, column), out var exact))
        {
            return exact;
        }

        // A block without ToTable (a derived type of a hierarchy) maps to its base's table.
        return configured.TryGetValue((null, null, column), out var untabled) ? untabled : null;
    }

    private void ReadBlock(LambdaExpressionSyntax lambda, string builder)
    {
        var chains = SnapshotModelReader.Statements(lambda).Select(FluentChain.Of).Where(c => c.RootIdentifier == builder && c.Calls.Count > 0).ToList();
        var (table, schema) = TableOf(chains) ?? TableOfEnclosingBlock(lambda) ?? (null, null);
        foreach (var chain in chains.Where(c => c.Calls[0].Name == "Property"))
        {
            if (chain.Calls[0].StringArgument(0) is not { } property)
            {
                continue;
            }

            var column = chain.Calls.FirstOrDefault(c => c.Name == "HasColumnName")?.StringArgument(0) ?? property;
            var hasDefault = chain.Calls.Any(c => c.Name is "HasDefaultValue" or "HasDefaultValueSql");
            var key = (table, schema, column);
            configured[key] = hasDefault || (configured.TryGetValue(key, out var earlier) && earlier);
        }
    }

    private static (string? Table, string? Schema)? TableOf(IEnumerable<FluentChain> chains) =>
        chains.FirstOrDefault(c => c.Calls[0].Name == "ToTable" && c.Calls[0].StringArgument(0) is not null) is { } toTable
            ? (toTable.Calls[0].StringArgument(0), toTable.Calls[0].StringArgument(1))
            : null;

    /// <summary>An owned type's block without ToTable shares its owner's table.</summary>
    private static (string? Table, string? Schema)? TableOfEnclosingBlock(LambdaExpressionSyntax lambda)
    {
        foreach (var outer in lambda.Ancestors().OfType<LambdaExpressionSyntax>())
        {
            if (SnapshotModelReader.ParameterOf(outer) is { } builder
                && TableOf(SnapshotModelReader.Statements(outer).Select(FluentChain.Of).Where(c => c.RootIdentifier == builder && c.Calls.Count > 0)) is { } table)
            {
                return table;
            }
        }

        return null;
    }
}
