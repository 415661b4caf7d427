using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Analyzers.Model;

/// <summary>
/// Builds the current entity model of a DbContext from symbols (DbSet properties, entity classes,
/// data annotations) and the fluent configuration read as syntax, following EF Core's conventions:
/// public properties with a getter and a setter, of a scalar type, not [NotMapped] or ignored.
/// Records where each entity and property is declared so findings land on the code.
/// </summary>
internal sealed class EntityModelReader(Compilation compilation, INamedTypeSymbol context, ISet<string> snapshotEntityNames)
{
    private const string DbSetName = "Microsoft.EntityFrameworkCore.DbSet`1";
    private const string DbContextName = "Microsoft.EntityFrameworkCore.DbContext";
    private const string ConfigurationInterfaceName = "Microsoft.EntityFrameworkCore.IEntityTypeConfiguration`1";
    private const string AnnotationsNamespace = "System.ComponentModel.DataAnnotations";

    private readonly Dictionary<SourceLocation, Location> locations = new();
    private readonly FluentConfiguration fluent = new();

    /// <summary>The source location behind each location the model's shapes carry.</summary>
    public IReadOnlyDictionary<SourceLocation, Location> Locations => locations;

    public EntityModel Read()
    {
        ReadFluentConfiguration();
        var dbSetType = ReferencedTypes.EntityFrameworkCore(compilation, DbSetName);
        var roots = new List<(INamedTypeSymbol Type, string? DbSetName)>();
        foreach (var property in AllProperties(context))
        {
            if (property.Type is INamedTypeSymbol { TypeArguments.Length: 1 } set && SymbolEqualityComparer.Default.Equals(set.OriginalDefinition, dbSetType)
                && set.TypeArguments[0] is INamedTypeSymbol entity)
            {
                roots.Add((entity, property.Name));
            }
        }

        foreach (var name in fluent.DeclaredEntities)
        {
            if (roots.All(r => r.Type.Name != name) && FindType(name) is { } declared)
            {
                roots.Add((declared, null));
            }
        }

        var entities = new Dictionary<INamedTypeSymbol, string?>(SymbolEqualityComparer.Default);
        foreach (var (type, dbSet) in roots)
        {
            if (!entities.ContainsKey(type) && !IsIgnored(type))
            {
                entities[type] = dbSet;
            }
        }

        AddReachableSnapshotEntities(entities);
        var contextLocation = Register(context.Locations);
        return new EntityModel(context.Name, entities.Select(e => Shape(e.Key, e.Value, entities)).ToList())
        {
            ContextLocation = contextLocation,
        };
    }

    private void ReadFluentConfiguration()
    {
        foreach (var method in context.GetMembers("OnModelCreating").OfType<IMethodSymbol>())
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is MethodDeclarationSyntax { ParameterList.Parameters.Count: 1 } declaration
                    && (declaration.Body ?? (SyntaxNode?)declaration.ExpressionBody?.Expression) is { } body)
                {
                    fluent.ReadModelBuilderMethod(body, declaration.ParameterList.Parameters[0].Identifier.ValueText);
                }
            }
        }

        var configurationInterface = ReferencedTypes.EntityFrameworkCore(compilation, ConfigurationInterfaceName);
        if (configurationInterface is null || (fluent.AppliedConfigurations.Count == 0 && !fluent.AppliesConfigurationsFromAssembly))
        {
            return;
        }

        // ApplyConfigurationsFromAssembly applies every IEntityTypeConfiguration<T>, whatever its name.
        var candidates = fluent.AppliesConfigurationsFromAssembly
            ? compilation.GetSymbolsWithName(_ => true, SymbolFilter.Type)
            : fluent.AppliedConfigurations.SelectMany(name => compilation.GetSymbolsWithName(name, SymbolFilter.Type));
        foreach (var type in candidates.OfType<INamedTypeSymbol>())
        {
            foreach (var implemented in type.AllInterfaces.Where(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, configurationInterface)))
            {
                if (implemented.TypeArguments[0] is not INamedTypeSymbol entity)
                {
                    continue;
                }

                foreach (var reference in type.GetMembers("Configure").SelectMany(m => m.DeclaringSyntaxReferences))
                {
                    if (reference.GetSyntax() is MethodDeclarationSyntax { ParameterList.Parameters.Count: 1 } configure
                        && (configure.Body ?? (SyntaxNode?)configure.ExpressionBody?.Expression) is { } body)
                    {
                        fluent.ReadEntityBuilderMethod(body, configure.ParameterList.Parameters[0].Identifier.ValueText, entity.Name);
                    }
                }
            }
        }
    }

    /// <summary>EF also maps entity types reached through navigations; only those the snapshot knows are added, so owned and complex types are not mistaken for new entities.</summary>
    private void AddReachableSnapshotEntities(Dictionary<INamedTypeSymbol, string?> entities)
    {
        var queue = new Queue<INamedTypeSymbol>(entities.Keys);
        while (queue.Count > 0)
        {
            foreach (var property in MappedCandidates(queue.Dequeue()))
            {
                if (NavigationTarget(property.Type) is { } target && !entities.ContainsKey(target) && !IsIgnored(target)
                    && snapshotEntityNames.Contains(MetadataName(target)))
                {
                    entities[target] = null;
                    queue.Enqueue(target);
                }
            }
        }
    }

    private EntityShape Shape(INamedTypeSymbol type, string? dbSetName, Dictionary<INamedTypeSymbol, string?> entities)
    {
        var configuration = fluent.Entities.TryGetValue(type.Name, out var found) ? found : new EntityConfiguration();
        var baseEntity = BaseEntity(type, entities);
        var tableAttribute = Attribute(type, AnnotationsNamespace + ".Schema.TableAttribute");
        var explicitTable = configuration.HasTable ? configuration.Table : tableAttribute?.ConstructorArguments.FirstOrDefault().Value as string;
        var properties = new List<PropertyShape>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in DeclaredCandidates(type, entities))
        {
            if (!seen.Add(property.Name) || configuration.IgnoredProperties.Contains(property.Name) || HasAttribute(property, AnnotationsNamespace + ".Schema.NotMappedAttribute"))
            {
                continue;
            }

            if (NavigationTarget(property.Type) is not null || !IsScalar(property.Type))
            {
                continue;
            }

            properties.Add(PropertyShapeOf(type, property, configuration));
        }

        foreach (var shadow in configuration.Properties.Where(p => p.Value.ShadowType is not null && !seen.Contains(p.Key)))
        {
            var location = shadow.Value.Syntax is { } syntax ? Register([syntax.GetLocation()]) : null;
            properties.Add(new PropertyShape(shadow.Key, shadow.Value.ConvertedType ?? shadow.Value.ShadowType!, Nullable(shadow.Value.ShadowType!, shadow.Value.Required))
            {
                MaxLength = shadow.Value.MaxLength,
                MaxLengthLocation = At(shadow.Value.MaxLengthSyntax),
                RequiredLocation = At(shadow.Value.RequiredSyntax),
                ColumnName = shadow.Value.Column ?? shadow.Key,
                ColumnNameIsExplicit = shadow.Value.Column is not null,
                HasDefault = shadow.Value.HasDefault,
                Location = location,
                StoreType = StoreTypeOf(shadow.Value, shadow.Value.ShadowType!),
                StoreTypeLocation = At(shadow.Value.StoreTypeSyntax),
                DefaultValueSql = shadow.Value.DefaultValueSql,
                DefaultValueSqlLocation = At(shadow.Value.DefaultValueSqlSyntax),
            });
        }

        return new EntityShape(MetadataName(type), explicitTable ?? (baseEntity is null ? dbSetName ?? type.Name : null), properties)
        {
            TableNameIsExplicit = explicitTable is not null,
            IsTable = !configuration.IsView || configuration.HasTable,
            BaseClrName = baseEntity is null ? null : MetadataName(baseEntity),
            Location = Register(type.Locations),
            Indexes = IndexesOf(type, configuration),
        };
    }

    private PropertyShape PropertyShapeOf(INamedTypeSymbol entity, IPropertySymbol property, EntityConfiguration configuration)
    {
        var fluentProperty = configuration.Properties.TryGetValue(property.Name, out var configured) ? configured : null;
        var clrType = fluentProperty?.ConvertedType ?? ClrTypeNames.Spell(property.Type);
        var isKey = configuration.Keys.Contains(property.Name) || HasAttribute(property, AnnotationsNamespace + ".KeyAttribute")
            || property.Name == "Id" || property.Name == entity.Name + "Id";
        var required = fluentProperty?.Required ?? (HasAttribute(property, AnnotationsNamespace + ".RequiredAttribute") ? true : null);
        var maxLength = MaxLengthAttribute(property);
        var column = fluentProperty?.Column ?? Attribute(property, AnnotationsNamespace + ".Schema.ColumnAttribute")?.ConstructorArguments.FirstOrDefault().Value as string;
        var generated = Attribute(property, AnnotationsNamespace + ".Schema.DatabaseGeneratedAttribute")?.ConstructorArguments.FirstOrDefault().Value is int option && option != 0;
        var columnAttribute = Attribute(property, AnnotationsNamespace + ".Schema.ColumnAttribute");
        var typeName = columnAttribute?.NamedArguments.FirstOrDefault(a => a.Key == "TypeName").Value.Value as string;
        var precision = Attribute(property, "Microsoft.EntityFrameworkCore.PrecisionAttribute");
        return new PropertyShape(property.Name, clrType, !isKey && IsNullable(property.Type, required))
        {
            MaxLength = fluentProperty?.MaxLength ?? maxLength?.ConstructorArguments.FirstOrDefault().Value as int?,
            MaxLengthLocation = At(fluentProperty?.MaxLengthSyntax),
            RequiredLocation = At(fluentProperty?.RequiredSyntax),
            ColumnName = column ?? property.Name,
            ColumnNameIsExplicit = column is not null,
            HasDefault = (fluentProperty?.HasDefault ?? false) || generated || isKey,
            Location = Register(property.Locations),
            StoreType = (fluentProperty is null ? null : StoreTypeOf(fluentProperty, clrType)) ?? typeName ?? NumericOf(clrType, precision),
            StoreTypeLocation = At(fluentProperty?.StoreTypeSyntax) ?? At(typeName is null ? null : columnAttribute?.ApplicationSyntaxReference?.GetSyntax()) ?? At(precision?.ApplicationSyntaxReference?.GetSyntax()),
            DefaultValueSql = fluentProperty?.DefaultValueSql,
            DefaultValueSqlLocation = At(fluentProperty?.DefaultValueSqlSyntax),
        };
    }

    /// <summary>HasColumnType, or numeric(p,s) for a decimal with HasPrecision.</summary>
    private static string? StoreTypeOf(PropertyConfiguration configured, string clrType) =>
        configured.StoreType ?? (configured.Precision is { } precision && clrType.TrimEnd('?') == "decimal"
            ? "numeric(" + precision + "," + (configured.Scale ?? 0) + ")"
            : null);

    /// <summary>[Precision(p, s)] on a decimal: numeric(p,s).</summary>
    private static string? NumericOf(string clrType, AttributeData? precision) =>
        precision is { ConstructorArguments: { Length: > 0 } arguments } && clrType.TrimEnd('?') == "decimal" && arguments[0].Value is int p
            ? "numeric(" + p + "," + (arguments.Length > 1 && arguments[1].Value is int s ? s : 0) + ")"
            : null;

    /// <summary>The indexes configured fluently (HasIndex) and with [Index] on the class, each where it is written.</summary>
    private IReadOnlyList<IndexShape> IndexesOf(INamedTypeSymbol type, EntityConfiguration configuration)
    {
        var indexes = configuration.Indexes
            .Select(i => new IndexShape(i.Properties) { IsUnique = i.IsUnique, IsConcurrent = i.IsConcurrent, Name = i.Name, Location = At(i.Syntax) })
            .ToList();
        foreach (var attribute in type.GetAttributes().Where(a => ClrTypeNames.HasFullName(a.AttributeClass, "Microsoft.EntityFrameworkCore.IndexAttribute")))
        {
            var names = attribute.ConstructorArguments
                .SelectMany(a => a.Kind == TypedConstantKind.Array ? a.Values.Select(v => v.Value) : [a.Value])
                .OfType<string>()
                .ToList();
            if (names.Count > 0)
            {
                indexes.Add(new IndexShape(names)
                {
                    IsUnique = attribute.NamedArguments.Any(a => a.Key == "IsUnique" && a.Value.Value is true),
                    Name = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Name").Value.Value as string,
                    Location = At(attribute.ApplicationSyntaxReference?.GetSyntax()),
                });
            }
        }

        return indexes;
    }

    private SourceLocation? At(SyntaxNode? syntax) => syntax is null ? null : Register([syntax.GetLocation()]);

    private static bool IsNullable(ITypeSymbol type, bool? required)
    {
        if (required is { } explicitRequired)
        {
            return !explicitRequired;
        }

        if (type.IsValueType)
        {
            return type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T };
        }

        // Under #nullable enable a non-annotated reference type is required; oblivious code maps as nullable.
        return type.NullableAnnotation != NullableAnnotation.NotAnnotated;
    }

    private static bool Nullable(string spelled, bool? required) =>
        required is { } explicitRequired ? !explicitRequired : !ClrTypeNames.IsValueType(spelled) || spelled.EndsWith("?", StringComparison.Ordinal);

    /// <summary>[MaxLength(n)] or [StringLength(n)].</summary>
    private static AttributeData? MaxLengthAttribute(IPropertySymbol property) =>
        property.GetAttributes().FirstOrDefault(attribute =>
            (ClrTypeNames.HasFullName(attribute.AttributeClass, AnnotationsNamespace + ".MaxLengthAttribute")
                || ClrTypeNames.HasFullName(attribute.AttributeClass, AnnotationsNamespace + ".StringLengthAttribute"))
            && attribute.ConstructorArguments.FirstOrDefault().Value is int);

    /// <summary>Properties EF maps by convention on this type, and on base classes that are not entities themselves.</summary>
    private static IEnumerable<IPropertySymbol> DeclaredCandidates(INamedTypeSymbol type, Dictionary<INamedTypeSymbol, string?> entities)
    {
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (!SymbolEqualityComparer.Default.Equals(current, type) && entities.ContainsKey(current))
            {
                yield break;
            }

            foreach (var property in MappedCandidates(current))
            {
                yield return property;
            }
        }
    }

    private static IEnumerable<IPropertySymbol> MappedCandidates(INamedTypeSymbol type) =>
        type.GetMembers().OfType<IPropertySymbol>().Where(p =>
            !p.IsStatic && !p.IsIndexer && p.DeclaredAccessibility == Accessibility.Public && p.GetMethod is not null && p.SetMethod is not null);

    private static INamedTypeSymbol? BaseEntity(INamedTypeSymbol type, Dictionary<INamedTypeSymbol, string?> entities)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (entities.ContainsKey(current))
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>The entity a navigation points to (a class, or a collection of classes), or null for scalars.</summary>
    private static INamedTypeSymbol? NavigationTarget(ITypeSymbol type)
    {
        if (IsScalar(type))
        {
            return null;
        }

        if (type is INamedTypeSymbol { TypeKind: TypeKind.Class } named && !named.IsGenericType)
        {
            return named;
        }

        var element = ElementType(type);
        return element is INamedTypeSymbol { TypeKind: TypeKind.Class } target && !IsScalar(target) ? target : null;
    }

    /// <summary>Scalars: primitives, strings, enums, structs, byte[], framework and Npgsql types, and collections of scalars.</summary>
    private static bool IsScalar(ITypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Error)
        {
            return false;
        }

        if (type.IsValueType || type.SpecialType == SpecialType.System_String)
        {
            return true;
        }

        if (type is IArrayTypeSymbol array)
        {
            return IsScalar(array.ElementType);
        }

        var ns = ClrTypeNames.OutermostNamespace(type);
        if (ElementType(type) is { } element)
        {
            return IsScalar(element);
        }

        return ns.StartsWith("System", StringComparison.Ordinal) || ns.StartsWith("Npgsql", StringComparison.Ordinal);
    }

    private static ITypeSymbol? ElementType(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol array)
        {
            return array.ElementType;
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic && type.SpecialType != SpecialType.System_String
            && generic.AllInterfaces.Concat([generic]).Any(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T))
        {
            return generic.TypeArguments[0];
        }

        return null;
    }

    private bool IsIgnored(INamedTypeSymbol type) =>
        fluent.IgnoredEntities.Contains(type.Name) || HasAttribute(type, AnnotationsNamespace + ".Schema.NotMappedAttribute");

    private INamedTypeSymbol? FindType(string name) =>
        compilation.GetSymbolsWithName(name, SymbolFilter.Type).OfType<INamedTypeSymbol>().FirstOrDefault(t => t.TypeKind == TypeKind.Class);

    private static IEnumerable<IPropertySymbol> AllProperties(INamedTypeSymbol context)
    {
        for (var current = context; current is not null && !ClrTypeNames.HasFullName(current, DbContextName); current = current.BaseType)
        {
            foreach (var property in current.GetMembers().OfType<IPropertySymbol>())
            {
                yield return property;
            }
        }
    }

    private SourceLocation? Register(IEnumerable<Location> candidates)
    {
        var location = candidates.FirstOrDefault(l => l.IsInSource && !l.SourceTree!.FilePath.EndsWith(".Designer.cs", StringComparison.OrdinalIgnoreCase))
            ?? candidates.FirstOrDefault(l => l.IsInSource);
        if (location is null)
        {
            return null;
        }

        var span = location.GetLineSpan();
        var source = new SourceLocation(span.Path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1);
        locations[source] = location;
        return source;
    }

    /// <summary>The name EF writes in snapshots: namespace-qualified, '+' for nested types.</summary>
    internal static string MetadataName(INamedTypeSymbol type)
    {
        var name = type.MetadataName;
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }

    private static bool HasAttribute(ISymbol symbol, string name) => Attribute(symbol, name) is not null;

    private static AttributeData? Attribute(ISymbol symbol, string name) =>
        symbol.GetAttributes().FirstOrDefault(a => ClrTypeNames.HasFullName(a.AttributeClass, name));
}
