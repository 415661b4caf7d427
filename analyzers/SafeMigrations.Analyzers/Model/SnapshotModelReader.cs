using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Analyzers.Model;

/// <summary>
/// Reads the model EF last generated from a ModelSnapshot's BuildModel, as syntax: the snapshot is
/// generated code in the same compilation, and reading it never needs binding. Understands the
/// shape every EF Core version since 3 writes: <c>modelBuilder.Entity("Ns.Type", b =&gt; { b.Property&lt;T&gt;("P")…; b.ToTable("t"); })</c>.
/// </summary>
internal static class SnapshotModelReader
{
    public static EntityModel Read(string contextName, MethodDeclarationSyntax buildModel)
    {
        var entities = new Dictionary<string, SnapshotEntity>(StringComparer.Ordinal);
        foreach (var invocation in buildModel.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Entity" }
                && invocation.ArgumentList.Arguments.Count == 2
                && FluentChain.StringOf(invocation.ArgumentList.Arguments[0].Expression) is { Length: > 0 } name
                && invocation.ArgumentList.Arguments[1].Expression is LambdaExpressionSyntax lambda
                && ParameterOf(lambda) is { } builder
                && !IsNestedInOwnedBlock(invocation, buildModel))
            {
                if (!entities.TryGetValue(name, out var entity))
                {
                    entities[name] = entity = new SnapshotEntity(name);
                }

                foreach (var statement in Statements(lambda))
                {
                    entity.Apply(FluentChain.Of(statement), builder);
                }
            }
        }

        return new EntityModel(contextName, entities.Values.Select(e => e.ToShape()).ToList());
    }

    internal static string? ParameterOf(LambdaExpressionSyntax lambda) => lambda switch
    {
        SimpleLambdaExpressionSyntax simple => simple.Parameter.Identifier.ValueText,
        ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } parenthesized => parenthesized.ParameterList.Parameters[0].Identifier.ValueText,
        _ => null,
    };

    internal static IEnumerable<ExpressionSyntax> Statements(LambdaExpressionSyntax lambda) =>
        lambda.Block is { } block
            ? block.Statements.OfType<ExpressionStatementSyntax>().Select(s => s.Expression)
            : lambda.ExpressionBody is { } body ? [body] : [];

    /// <summary>Owned types are written inside their owner's block (b.OwnsOne(…, b1 =&gt; …)); they have no table of their own here.</summary>
    private static bool IsNestedInOwnedBlock(InvocationExpressionSyntax invocation, MethodDeclarationSyntax buildModel) =>
        invocation.Ancestors().TakeWhile(a => a != buildModel).OfType<InvocationExpressionSyntax>()
            .Any(a => a.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "OwnsOne" or "OwnsMany" or "ComplexProperty" or "ComplexCollection" });

    private sealed class SnapshotEntity(string clrName)
    {
        private readonly List<string> order = [];
        private readonly Dictionary<string, SnapshotProperty> properties = new(StringComparer.Ordinal);
        private readonly HashSet<string> keys = new(StringComparer.Ordinal);
        private readonly HashSet<string> shadowCandidates = new(StringComparer.Ordinal);
        private string? table;
        private string? schema;
        private string? baseType;
        private bool hasTable;
        private bool hasView;

        public void Apply(FluentChain chain, string builder)
        {
            if (chain.RootIdentifier != builder || chain.Calls.Count == 0)
            {
                return;
            }

            var first = chain.Calls[0];
            switch (first.Name)
            {
                case "Property" when first.StringArgument(0) is { } name:
                    ApplyProperty(name, first.TypeArguments.Count == 1 ? ClrTypeNames.Normalize(first.TypeArguments[0].ToString()) : string.Empty, chain.Calls);
                    break;
                case "ToTable":
                    hasTable = true;
                    table = first.StringArgument(0);
                    schema = first.StringArgument(1);
                    break;
                case "ToView":
                    hasView = true;
                    break;
                case "HasBaseType":
                    baseType = first.StringArgument(0);
                    break;
                case "HasKey":
                    keys.UnionWith(FluentChain.NamesOf(first));
                    break;
                case "HasDiscriminator":
                    shadowCandidates.Add(first.StringArgument(0) ?? "Discriminator");
                    break;
                case "HasOne" or "HasMany":
                    foreach (var call in chain.Calls.Where(c => c.Name == "HasForeignKey"))
                    {
                        shadowCandidates.UnionWith(FluentChain.NamesOf(call));
                    }

                    break;
            }
        }

        public EntityShape ToShape() =>
            new(clrName, hasTable ? table : null, order.Select(name => properties[name].ToShape(keys.Contains(name), shadowCandidates.Contains(name))).ToList())
            {
                TableNameIsExplicit = true,
                Schema = schema,
                BaseClrName = baseType,
                IsTable = hasTable ? table is not null : !hasView,
            };

        private void ApplyProperty(string name, string clrType, IReadOnlyList<FluentCall> calls)
        {
            if (!properties.TryGetValue(name, out var property))
            {
                order.Add(name);
                properties[name] = property = new SnapshotProperty(name, clrType);
            }

            FluentConfiguration.ApplyPropertyCalls(property.Configuration, calls, 1);
        }
    }

    private sealed class SnapshotProperty(string name, string clrType)
    {
        private readonly string name = name;

        /// <summary>The snapshot writes the same fluent calls as OnModelCreating: IsRequired, HasMaxLength, HasColumnName, HasDefaultValue….</summary>
        public PropertyConfiguration Configuration { get; } = new();

        public PropertyShape ToShape(bool isKey, bool mayBeShadow)
        {
            var nullable = clrType.EndsWith("?", StringComparison.Ordinal) || (!ClrTypeNames.IsValueType(clrType) && Configuration.Required != true && !isKey);
            return new PropertyShape(name, clrType, nullable)
            {
                MaxLength = Configuration.MaxLength,
                ColumnName = Configuration.Column ?? name,
                ColumnNameIsExplicit = true,
                HasDefault = Configuration.HasDefault,
                MayBeShadow = mayBeShadow || name == "Discriminator",
            };
        }
    }
}
