using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SafeMigrations.Analyzers.Model;

/// <summary>What the common fluent calls say about one entity (by simple class name).</summary>
internal sealed class EntityConfiguration
{
    public string? Table { get; set; }

    public bool HasTable { get; set; }

    public bool IsView { get; set; }

    public HashSet<string> IgnoredProperties { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, PropertyConfiguration> Properties { get; } = new(StringComparer.Ordinal);

    public List<IndexConfiguration> Indexes { get; } = [];

    public PropertyConfiguration Property(string name)
    {
        if (!Properties.TryGetValue(name, out var property))
        {
            Properties[name] = property = new PropertyConfiguration();
        }

        return property;
    }
}

internal sealed class PropertyConfiguration
{
    public string? Column { get; set; }

    public bool? Required { get; set; }

    /// <summary>The IsRequired call, for a finding about the property becoming required.</summary>
    public SyntaxNode? RequiredSyntax { get; set; }

    public int? MaxLength { get; set; }

    /// <summary>The HasMaxLength call, for a finding about the length.</summary>
    public SyntaxNode? MaxLengthSyntax { get; set; }

    public bool HasDefault { get; set; }

    /// <summary>Property&lt;T&gt;("Name"): a shadow property when the class has no such member.</summary>
    public string? ShadowType { get; set; }

    /// <summary>HasConversion&lt;T&gt;() gives the stored type; a converter we cannot read makes it unknown (empty).</summary>
    public string? ConvertedType { get; set; }

    public SyntaxNode? Syntax { get; set; }

    /// <summary>HasColumnType("…"), or numeric(p,s) from HasPrecision, with the call that says it.</summary>
    public string? StoreType { get; set; }

    public SyntaxNode? StoreTypeSyntax { get; set; }

    public int? Precision { get; set; }

    public int? Scale { get; set; }

    public string? DefaultValueSql { get; set; }

    public SyntaxNode? DefaultValueSqlSyntax { get; set; }
}

/// <summary>HasIndex(…) with what its chain says: unique, built concurrently, its name.</summary>
internal sealed class IndexConfiguration(IReadOnlyList<string> properties, SyntaxNode syntax)
{
    public IReadOnlyList<string> Properties { get; } = properties;

    public SyntaxNode Syntax { get; } = syntax;

    public bool IsUnique { get; set; }

    public bool IsConcurrent { get; set; }

    public string? Name { get; set; }

    /// <summary>Applies calls[start..] made on an index builder (shared with the snapshot reader, which writes the same calls).</summary>
    public void Apply(IReadOnlyList<FluentCall> calls, int start)
    {
        for (var i = start; i < calls.Count; i++)
        {
            var call = calls[i];
            switch (call.Name)
            {
                case "IsUnique":
                    IsUnique = call.BoolArgumentOrTrue(0);
                    break;
                case "IsCreatedConcurrently":
                    IsConcurrent = call.BoolArgumentOrTrue(0);
                    break;
                case "HasAnnotation" when call.StringArgument(0) == "Npgsql:CreatedConcurrently":
                    IsConcurrent = call.BoolArgumentOrTrue(1);
                    break;
                case "HasDatabaseName" or "HasName":
                    Name = call.StringArgument(0) ?? Name;
                    break;
            }
        }
    }
}

/// <summary>
/// Reads the common fluent configuration as syntax: <c>modelBuilder.Entity&lt;T&gt;(b =&gt; …)</c>,
/// <c>modelBuilder.Entity&lt;T&gt;().Property(…)…</c>, <c>Ignore&lt;T&gt;()</c>, and the
/// <c>Configure(EntityTypeBuilder&lt;T&gt; builder)</c> of IEntityTypeConfiguration classes. Entities are
/// keyed by simple class name, which is what the syntax says without binding.
/// </summary>
internal sealed class FluentConfiguration
{
    private static readonly HashSet<string> NestedBuilders = new(StringComparer.Ordinal) { "OwnsOne", "OwnsMany", "ComplexProperty", "ComplexCollection", "HasData" };

    public Dictionary<string, EntityConfiguration> Entities { get; } = new(StringComparer.Ordinal);

    public HashSet<string> IgnoredEntities { get; } = new(StringComparer.Ordinal);

    /// <summary>Entity type names passed to Entity&lt;T&gt;(), in the order met.</summary>
    public List<string> DeclaredEntities { get; } = [];

    /// <summary>Configuration classes named by ApplyConfiguration(new X()).</summary>
    public List<string> AppliedConfigurations { get; } = [];

    public bool AppliesConfigurationsFromAssembly { get; private set; }

    public EntityConfiguration Entity(string name)
    {
        if (!Entities.TryGetValue(name, out var entity))
        {
            Entities[name] = entity = new EntityConfiguration();
        }

        return entity;
    }

    /// <summary>Reads OnModelCreating (or any method body) where <paramref name="modelBuilder"/> is the ModelBuilder parameter.</summary>
    public void ReadModelBuilderMethod(SyntaxNode body, string modelBuilder) =>
        ReadStatements(body, new Dictionary<string, string>(StringComparer.Ordinal), modelBuilder);

    /// <summary>Reads IEntityTypeConfiguration&lt;T&gt;.Configure, where <paramref name="builder"/> configures <paramref name="entity"/>.</summary>
    public void ReadEntityBuilderMethod(SyntaxNode body, string builder, string entity) =>
        ReadStatements(body, new Dictionary<string, string>(StringComparer.Ordinal) { [builder] = entity }, modelBuilder: null);

    private void ReadStatements(SyntaxNode body, Dictionary<string, string> builders, string? modelBuilder)
    {
        foreach (var expression in TopLevelExpressions(body))
        {
            ReadChain(FluentChain.Of(expression), builders, modelBuilder);
        }

        // var task = modelBuilder.Entity<TodoItem>(); task.Property(…)
        foreach (var declarator in body.DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            if (declarator.Initializer?.Value is { } value && modelBuilder is not null)
            {
                var chain = FluentChain.Of(value);
                if (chain.RootIdentifier == modelBuilder && chain.Calls.Count == 1 && chain.Calls[0] is { Name: "Entity", TypeArguments.Count: 1 } entity
                    && FluentChain.SimpleTypeName(entity.TypeArguments[0]) is { } name)
                {
                    builders[declarator.Identifier.ValueText] = name;
                    Declare(name);
                }
            }
        }

        foreach (var expression in TopLevelExpressions(body))
        {
            var chain = FluentChain.Of(expression);
            if (chain.RootIdentifier is { } root && root != modelBuilder && builders.TryGetValue(root, out var entity))
            {
                ApplyEntityCalls(Entity(entity), chain.Calls, 0);
            }
        }
    }

    private static IEnumerable<ExpressionSyntax> TopLevelExpressions(SyntaxNode body) => body switch
    {
        ExpressionSyntax expression => [expression],
        _ => body.DescendantNodes(n => n is not LambdaExpressionSyntax && n is not LocalFunctionStatementSyntax)
            .OfType<ExpressionStatementSyntax>().Select(s => s.Expression),
    };

    private void ReadChain(FluentChain chain, Dictionary<string, string> builders, string? modelBuilder)
    {
        if (chain.Calls.Count == 0 || chain.RootIdentifier is not { } root || root != modelBuilder)
        {
            return;
        }

        var first = chain.Calls[0];
        switch (first.Name)
        {
            case "Entity" when first.TypeArguments.Count == 1 && FluentChain.SimpleTypeName(first.TypeArguments[0]) is { } name:
                Declare(name);
                var entity = Entity(name);
                if (first.Argument(0) is LambdaExpressionSyntax lambda && SnapshotModelReader.ParameterOf(lambda) is { } parameter)
                {
                    var inner = new Dictionary<string, string>(builders, StringComparer.Ordinal) { [parameter] = name };
                    foreach (var statement in SnapshotModelReader.Statements(lambda))
                    {
                        var nested = FluentChain.Of(statement);
                        if (nested.RootIdentifier == parameter)
                        {
                            ApplyEntityCalls(entity, nested.Calls, 0);
                        }
                    }
                }

                ApplyEntityCalls(entity, chain.Calls, 1);
                break;
            case "Ignore" when first.TypeArguments.Count == 1 && FluentChain.SimpleTypeName(first.TypeArguments[0]) is { } ignored:
                IgnoredEntities.Add(ignored);
                break;
            case "ApplyConfiguration" when first.Argument(0) is ObjectCreationExpressionSyntax creation && FluentChain.SimpleTypeName(creation.Type) is { } configuration:
                AppliedConfigurations.Add(configuration);
                break;
            case "ApplyConfigurationsFromAssembly":
                AppliesConfigurationsFromAssembly = true;
                break;
        }
    }

    private void Declare(string name)
    {
        if (!DeclaredEntities.Contains(name))
        {
            DeclaredEntities.Add(name);
        }
    }

    /// <summary>Applies calls[start..] made on an entity type builder.</summary>
    private static void ApplyEntityCalls(EntityConfiguration entity, IReadOnlyList<FluentCall> calls, int start)
    {
        for (var i = start; i < calls.Count; i++)
        {
            var call = calls[i];
            if (call.Name == "HasIndex")
            {
                var index = new IndexConfiguration(FluentChain.NamesOf(call), call.Method);
                index.Apply(calls, i + 1);
                if (index.Properties.Count > 0)
                {
                    entity.Indexes.Add(index);
                }

                return;
            }

            if (NestedBuilders.Contains(call.Name) || call.Name is "HasOne" or "HasMany" or "HasAlternateKey" or "Navigation")
            {
                return; // the rest of the chain configures something else
            }

            switch (call.Name)
            {
                case "ToTable":
                    entity.HasTable = true;
                    entity.Table = call.StringArgument(0);
                    break;
                case "ToView":
                    entity.IsView = true;
                    break;
                case "HasKey":
                    entity.Keys.UnionWith(FluentChain.NamesOf(call));
                    break;
                case "Ignore":
                    entity.IgnoredProperties.UnionWith(FluentChain.NamesOf(call));
                    break;
                case "Property":
                    foreach (var name in FluentChain.NamesOf(call).Take(1))
                    {
                        var property = entity.Property(name);
                        property.Syntax ??= call.Arguments.Count > 0 ? call.Arguments[0] : null;
                        if (call.TypeArguments.Count == 1)
                        {
                            property.ShadowType = ClrTypeNames.Normalize(call.TypeArguments[0].ToString());
                        }

                        ApplyPropertyCalls(property, calls, i + 1);
                    }

                    return;
            }
        }
    }

    /// <summary>Applies calls[start..] made on a property builder (shared with the snapshot reader, which writes the same calls).</summary>
    internal static void ApplyPropertyCalls(PropertyConfiguration property, IReadOnlyList<FluentCall> calls, int start)
    {
        for (var i = start; i < calls.Count; i++)
        {
            var call = calls[i];
            switch (call.Name)
            {
                case "HasColumnName":
                    property.Column = call.StringArgument(0) ?? property.Column;
                    break;
                case "IsRequired":
                    property.Required = call.BoolArgumentOrTrue(0);
                    property.RequiredSyntax = call.Method;
                    break;
                case "HasMaxLength":
                    property.MaxLength = call.IntArgument(0);
                    property.MaxLengthSyntax = call.Method;
                    break;
                case "HasDefaultValueSql":
                    property.HasDefault = true;
                    property.DefaultValueSql = call.StringArgument(0);
                    property.DefaultValueSqlSyntax = call.Method;
                    break;
                case "HasDefaultValue" or "HasComputedColumnSql" or "ValueGeneratedOnAdd" or "UseIdentityColumn" or "UseIdentityByDefaultColumn" or "UseIdentityAlwaysColumn" or "UseSerialColumn":
                    property.HasDefault = true;
                    break;
                case "HasColumnType":
                    property.StoreType = call.StringArgument(0);
                    property.StoreTypeSyntax = call.Method;
                    break;
                case "HasPrecision":
                    property.Precision = call.IntArgument(0);
                    property.Scale = call.IntArgument(1);
                    property.StoreTypeSyntax ??= call.Method;
                    break;
                case "HasConversion":
                    property.ConvertedType = call.TypeArguments.Count == 1 ? ClrTypeNames.Normalize(call.TypeArguments[0].ToString()) : string.Empty;
                    break;
            }
        }
    }
}
