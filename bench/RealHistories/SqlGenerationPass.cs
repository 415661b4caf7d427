using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace RealHistories;

/// <summary>
/// Runs each compiled migration's Up as EF does (ActiveProvider set to Npgsql) and turns its operations
/// into the SQL EF Core and Npgsql really generate: no database is needed, no connection is opened.
/// SQL is generated with the migration's target model (its Designer's BuildTargetModel), as EF's migrator
/// does; without one only when the migration has no Designer or its model cannot be built or used.
/// </summary>
internal static class SqlGenerationPass
{
    private const string NpgsqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>The migrations' SQL in id order; a migration whose SQL could not be generated carries the reason.</summary>
    public static IReadOnlyList<MigrationSql> Run(CompiledHistory history, MigrationLocator locator)
    {
        var migrations = locator.Migrations();
        using var image = new MemoryStream();
        var emitted = history.Compilation.Emit(image);
        if (!emitted.Success)
        {
            var reason = "the compilation did not emit: " + emitted.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
            return migrations.OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => new MigrationSql(m.Key, locator.SourceFileOf(m.Value), [], reason)).ToList();
        }

        image.Position = 0;
        var loadContext = new HistoryLoadContext(history.Compilation.AssemblyName!);
        try
        {
            var assembly = loadContext.LoadFromStream(image);
            // The target version squawk is told too; Npgsql only picks SQL by it, it does not connect.
            var options = new DbContextOptionsBuilder().UseNpgsql("Host=localhost;Database=x", npgsql => npgsql.SetPostgresVersion(15, 0)).Options;
            using var context = new DbContext(options);
            var generator = context.GetService<IMigrationsSqlGenerator>();
            var modelInitializer = context.GetService<IModelRuntimeInitializer>();
            return migrations.OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => Generate(assembly, m.Key, m.Value, locator.SourceFileOf(m.Value), generator, modelInitializer))
                .ToList();
        }
        finally
        {
            loadContext.Unload();
        }
    }

    private static MigrationSql Generate(
        Assembly assembly, string id, INamedTypeSymbol symbol, string sourceFile, IMigrationsSqlGenerator generator, IModelRuntimeInitializer modelInitializer)
    {
        var stage = "loading the class";
        try
        {
            var type = assembly.GetType(MetadataName(symbol), throwOnError: true)!;
            stage = "creating the migration";
            var migration = (Migration)Activator.CreateInstance(type)!;
            migration.ActiveProvider = NpgsqlProvider;
            stage = "running Up";
            _ = migration.UpOperations; // runs Up (EF caches the list), so its failures are told apart from the generator's
            return GenerateSql(id, sourceFile, migration, generator, modelInitializer);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return new MigrationSql(id, sourceFile, [], $"{stage}: {Describe(exception)}");
        }
    }

    // EF's migrator passes the migration's target model to the generator. Npgsql needs it to know the
    // column's previous type: without it every AlterColumn restates ALTER COLUMN … TYPE.
    private static MigrationSql GenerateSql(string id, string sourceFile, Migration migration, IMigrationsSqlGenerator generator, IModelRuntimeInitializer modelInitializer)
    {
        var model = TargetModel(migration, modelInitializer);
        try
        {
            return Generated(id, sourceFile, generator.Generate(migration.UpOperations, model), withoutTargetModel: model is null);
        }
        catch (Exception withModel) when (withModel is not OutOfMemoryException && model is not null)
        {
            try
            {
                return Generated(id, sourceFile, generator.Generate(migration.UpOperations, model: null), withoutTargetModel: true);
            }
            catch (Exception withoutModel) when (withoutModel is not OutOfMemoryException)
            {
                var (first, second) = (Describe(withModel), Describe(withoutModel));
                return new MigrationSql(id, sourceFile, [], "generating SQL: " + (first == second ? first + " (without the target model too)" : first + "; without the target model: " + second));
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return new MigrationSql(id, sourceFile, [], "generating SQL: " + Describe(exception));
        }
    }

    private static MigrationSql Generated(string id, string sourceFile, IReadOnlyList<MigrationCommand> commands, bool withoutTargetModel) =>
        new(id, sourceFile, commands.Select(c => new GeneratedCommand(c.CommandText, c.TransactionSuppressed)).ToList(), null, withoutTargetModel);

    /// <summary>The model the migration was generated for, finalized as EF's migrator does; null without a Designer or when it cannot be built.</summary>
    private static IModel? TargetModel(Migration migration, IModelRuntimeInitializer modelInitializer)
    {
        try
        {
            return migration.TargetModel is { } model ? modelInitializer.Initialize(model) : null;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>The reflection name: namespace, then nested types joined by '+'.</summary>
    private static string MetadataName(INamedTypeSymbol symbol)
    {
        var name = symbol.MetadataName;
        for (var outer = symbol.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
        }

        return symbol.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }

    private static string Describe(Exception exception)
    {
        var cause = exception is TargetInvocationException { InnerException: { } inner } ? inner : exception;
        return $"{cause.GetType().Name}: {FirstLine(cause.Message)}";
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
