using System.Linq;
using Microsoft.CodeAnalysis;

namespace SafeMigrations.Analyzers;

/// <summary>The EF Core (and SafeMigrations) types a compilation's migrations are recognised by.</summary>
internal sealed class MigrationTypes(INamedTypeSymbol migration, INamedTypeSymbol builder, INamedTypeSymbol? migrationAttribute, INamedTypeSymbol? contextAttribute, INamedTypeSymbol? suppressAttribute)
{
    private const string DbContextAttributeTypeName = "Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute";
    private const string MigrationTypeName = "Microsoft.EntityFrameworkCore.Migrations.Migration";
    private const string MigrationBuilderTypeName = "Microsoft.EntityFrameworkCore.Migrations.MigrationBuilder";
    private const string MigrationAttributeTypeName = "Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute";
    private const string SuppressAttributeTypeName = "SafeMigrations.SuppressMigrationRuleAttribute";

    public INamedTypeSymbol Builder => builder;

    public INamedTypeSymbol? SuppressAttribute => suppressAttribute;

    /// <summary>Null when the compilation does not reference EF Core's relational migrations.</summary>
    public static MigrationTypes? In(Compilation compilation) =>
        ReferencedTypes.EntityFrameworkCore(compilation, MigrationTypeName) is { } migration
        && ReferencedTypes.EntityFrameworkCore(compilation, MigrationBuilderTypeName) is { } builder
            ? new MigrationTypes(
                migration,
                builder,
                ReferencedTypes.EntityFrameworkCore(compilation, MigrationAttributeTypeName),
                ReferencedTypes.EntityFrameworkCore(compilation, DbContextAttributeTypeName),
                ReferencedTypes.Abstractions(compilation, SuppressAttributeTypeName))
            : null;

    public bool IsMigration(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, migration))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The id in [Migration("…")] (what EF orders migrations by), or the class name without one.</summary>
    public string IdOf(INamedTypeSymbol type)
    {
        var attribute = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, migrationAttribute));
        return attribute?.ConstructorArguments.FirstOrDefault().Value as string ?? type.Name;
    }

    /// <summary>The type [DbContext(typeof(…))] names when it does not bind (the compiler reports CS0246), or null.</summary>
    public ITypeSymbol? UnboundContextOf(INamedTypeSymbol type) =>
        type.GetAttributes()
            .Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, contextAttribute))
            .SelectMany(a => a.ConstructorArguments)
            .Select(argument => argument.Kind == TypedConstantKind.Error || argument.Value is ITypeSymbol { TypeKind: TypeKind.Error } ? argument.Value as ITypeSymbol : null)
            .FirstOrDefault(unbound => unbound is not null);

    /// <summary>The DbContext in [DbContext(typeof(…))] (EF's Designer file puts it there): migrations of different contexts are separate histories.</summary>
    public ITypeSymbol? ContextOf(INamedTypeSymbol type) =>
        type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, contextAttribute))?.ConstructorArguments.FirstOrDefault().Value as ITypeSymbol;
}
