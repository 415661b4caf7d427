using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
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
    /// <param name="isValueType">Whether a type argument of Property&lt;T&gt; names a value type (bound only for names the fast list does not know).</param>
    public static EntityModel Read(string contextName, MethodDeclarationSyntax buildModel, Func<TypeSyntax, bool> isValueType)
    {
        var entities = new Dictionary<string, SnapshotEntity>(StringComparer.Ordinal);
        foreach (var block in EntityBlocks(buildModel))
        {
            if (!entities.TryGetValue(block.Name, out var entity))
            {
                entities[block.Name] = entity = new SnapshotEntity(block.Name);
            }

            foreach (var statement in Statements(block.Lambda))
            {
                entity.Apply(FluentChain.Of(statement), block.Builder);
            }
        }

        return new EntityModel(contextName, entities.Values.Select(e => e.ToShape(isValueType)).ToList());
    }

    /// <summary>Each ModelSnapshot in the compilation with the DbContext it belongs to (one per context) and its BuildModel.</summary>
    public static IEnumerable<(INamedTypeSymbol Context, MethodDeclarationSyntax BuildModel)> FindSnapshots(
        Compilation compilation, INamedTypeSymbol snapshotType, INamedTypeSymbol contextAttribute, CancellationToken cancellationToken)
    {
        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var snapshot in compilation.GetSymbolsWithName(name => name.EndsWith("Snapshot", StringComparison.Ordinal), SymbolFilter.Type, cancellationToken).OfType<INamedTypeSymbol>())
        {
            if (snapshot.IsAbstract || !SymbolEqualityComparer.Default.Equals(snapshot.BaseType, snapshotType))
            {
                continue;
            }

            var context = snapshot.GetAttributes()
                .FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, contextAttribute))?
                .ConstructorArguments.FirstOrDefault().Value as INamedTypeSymbol;
            var buildModel = snapshot.GetMembers("BuildModel").SelectMany(m => m.DeclaringSyntaxReferences)
                .Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
            if (context is not null && context.TypeKind != TypeKind.Error && buildModel is not null && seen.Add(context))
            {
                yield return (context, buildModel);
            }
        }
    }

    /// <summary>The <c>modelBuilder.Entity("Ns.Type", b =&gt; …)</c> blocks of a BuildModel or BuildTargetModel, owned types' nested blocks excluded.</summary>
    internal static IEnumerable<EntityBlock> EntityBlocks(SyntaxNode model)
    {
        foreach (var invocation in model.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Entity" }
                && invocation.ArgumentList.Arguments.Count == 2
                && FluentChain.StringOf(invocation.ArgumentList.Arguments[0].Expression) is { Length: > 0 } name
                && invocation.ArgumentList.Arguments[1].Expression is LambdaExpressionSyntax lambda
                && ParameterOf(lambda) is { } builder
                && !IsNestedInOwnedBlock(invocation, model))
            {
                yield return new EntityBlock(name, builder, lambda);
            }
        }
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
    private static bool IsNestedInOwnedBlock(InvocationExpressionSyntax invocation, SyntaxNode model) =>
        invocation.Ancestors().TakeWhile(a => a != model).OfType<InvocationExpressionSyntax>()
            .Any(a => a.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "OwnsOne" or "OwnsMany" or "ComplexProperty" or "ComplexCollection" });

    private sealed class SnapshotEntity(string clrName)
    {
        private readonly List<string> order = [];
        private readonly Dictionary<string, SnapshotProperty> properties = new(StringComparer.Ordinal);
        private readonly HashSet<string> keys = new(StringComparer.Ordinal);
        private readonly HashSet<string> shadowCandidates = new(StringComparer.Ordinal);
        private readonly List<IndexConfiguration> indexes = [];
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
                    ApplyProperty(name, first.TypeArguments.Count == 1 ? ClrTypeNames.Normalize(first.TypeArguments[0].ToString()) : string.Empty, first.TypeArguments.Count == 1 ? first.TypeArguments[0] : null, chain.Calls);
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
                case "HasIndex":
                    var index = new IndexConfiguration(FluentChain.NamesOf(first), first.Method);
                    index.Apply(chain.Calls, 1);
                    indexes.Add(index);
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

        public EntityShape ToShape(Func<TypeSyntax, bool> isValueType) =>
            new(clrName, hasTable ? table : null, order.Select(name => properties[name].ToShape(keys.Contains(name), shadowCandidates.Contains(name), isValueType)).ToList())
            {
                TableNameIsExplicit = true,
                Schema = schema,
                BaseClrName = baseType,
                IsTable = hasTable ? table is not null : !hasView,
                Indexes = indexes.Select(i => new IndexShape(i.Properties) { IsUnique = i.IsUnique, IsConcurrent = i.IsConcurrent, Name = i.Name }).ToList(),
            };

        private void ApplyProperty(string name, string clrType, TypeSyntax? typeSyntax, IReadOnlyList<FluentCall> calls)
        {
            if (!properties.TryGetValue(name, out var property))
            {
                order.Add(name);
                properties[name] = property = new SnapshotProperty(name, clrType, typeSyntax);
            }

            FluentConfiguration.ApplyPropertyCalls(property.Configuration, calls, 1);
        }
    }

    private sealed class SnapshotProperty(string name, string clrType, TypeSyntax? typeSyntax)
    {
        private readonly string name = name;

        /// <summary>The snapshot writes the same fluent calls as OnModelCreating: IsRequired, HasMaxLength, HasColumnName, HasDefaultValue….</summary>
        public PropertyConfiguration Configuration { get; } = new();

        /// <summary>A value type is NOT NULL unless spelled with '?': asked of the type's symbol (NodaTime's Instant, NpgsqlRange&lt;int&gt;), not a list.</summary>
        public PropertyShape ToShape(bool isKey, bool mayBeShadow, Func<TypeSyntax, bool> isValueType)
        {
            // Binding is the expensive part: only a name neither list knows is asked of its symbol.
            var valueType = ClrTypeNames.IsValueType(clrType)
                || (typeSyntax is not null && clrType.Length > 0 && !ClrTypeNames.IsKnownReferenceType(clrType) && isValueType(typeSyntax));
            var nullable = clrType.EndsWith("?", StringComparison.Ordinal) || (!valueType && Configuration.Required != true && !isKey);
            return new PropertyShape(name, clrType, nullable)
            {
                MaxLength = Configuration.MaxLength,
                ColumnName = Configuration.Column ?? name,
                ColumnNameIsExplicit = true,
                HasDefault = Configuration.HasDefault,
                MayBeShadow = mayBeShadow || name == "Discriminator",
                StoreType = Configuration.StoreType,
                DefaultValueSql = Configuration.DefaultValueSql,
            };
        }
    }
}

/// <summary>One <c>Entity("Ns.Type", b =&gt; …)</c> block: the entity's metadata name, the builder parameter, the lambda.</summary>
internal sealed record EntityBlock(string Name, string Builder, LambdaExpressionSyntax Lambda);
