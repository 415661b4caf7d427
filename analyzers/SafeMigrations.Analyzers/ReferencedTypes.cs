using System;
using Microsoft.CodeAnalysis;

namespace SafeMigrations.Analyzers;

/// <summary>
/// Finds EF Core's and SafeMigrations' types in the assemblies that declare them.
/// Compilation.GetTypeByMetadataName searches the namespaces of every reference (about 200 in an
/// ASP.NET Core project) for each new name; at compilation start that cost 0.3 s of a 300-entity
/// project's compile (bench/AnalyzerOverhead), more than all our per-migration work together.
/// </summary>
internal static class ReferencedTypes
{
    private const string EntityFrameworkCorePrefix = "Microsoft.EntityFrameworkCore";
    private const string AbstractionsAssemblyName = "SafeMigrations.Abstractions";

    /// <summary>A type of EF Core, looked up in the Microsoft.EntityFrameworkCore* assemblies only.</summary>
    public static INamedTypeSymbol? EntityFrameworkCore(Compilation compilation, string metadataName) =>
        Find(compilation, metadataName, name => name.StartsWith(EntityFrameworkCorePrefix, StringComparison.Ordinal));

    /// <summary>A type of SafeMigrations.Abstractions, wherever a project takes it from (the package, or its own source).</summary>
    public static INamedTypeSymbol? Abstractions(Compilation compilation, string metadataName) =>
        Find(compilation, metadataName, name => name == AbstractionsAssemblyName) ?? compilation.Assembly.GetTypeByMetadataName(metadataName);

    private static INamedTypeSymbol? Find(Compilation compilation, string metadataName, Func<string, bool> declaresIt)
    {
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (declaresIt(assembly.Identity.Name) && assembly.GetTypeByMetadataName(metadataName) is { } type)
            {
                return type;
            }
        }

        return null;
    }
}
