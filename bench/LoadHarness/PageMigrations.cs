using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyModel;

namespace LoadHarness;

/// <summary>
/// A rule page's code blocks as an app's migrations: each block the Up of a migration (ids in block order) of one
/// DbContext, compiled against this project's EF Core and Npgsql, so EF's Migrate() and the runner apply them with
/// the SQL EF and Npgsql generate.
/// </summary>
internal sealed class PageMigrations
{
    private static readonly ImmutableArray<MetadataReference> References = DependencyContext.Default!.CompileLibraries
        .SelectMany(library => library.ResolveReferencePaths())
        .Distinct(StringComparer.Ordinal)
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
        .ToImmutableArray();

    private readonly Type contextType;

    private PageMigrations(IReadOnlyList<string> ids, Type contextType)
    {
        Ids = ids;
        this.contextType = contextType;
    }

    public IReadOnlyList<string> Ids { get; }

    public DbContext Context(string connectionString) =>
        (DbContext)Activator.CreateInstance(contextType, new DbContextOptionsBuilder().UseNpgsql(connectionString)
            // The examples have no model snapshot: EF 9+ would stop Migrate() over that, not over the schema change.
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning)).Options)!;

    public static PageMigrations Compile(string name, IReadOnlyList<string> blocks, string? targetModel)
    {
        var ids = blocks.Select((_, i) => $"2026010100{i:D4}_Step{i + 1}").ToList();
        var tree = CSharpSyntaxTree.ParseText(Source(blocks, ids, targetModel ?? string.Empty), CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            name + Guid.NewGuid().ToString("N"), [tree], References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            throw new InvalidOperationException($"{name} does not compile: " + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        image.Position = 0;
        var assembly = new AssemblyLoadContext(name, isCollectible: true).LoadFromStream(image);
        return new PageMigrations(ids, assembly.GetType("PageExamples.ExampleContext", throwOnError: true)!);
    }

    private static string Source(IReadOnlyList<string> blocks, IReadOnlyList<string> ids, string targetModel)
    {
        var classes = blocks.Select((block, i) =>
        {
            var lines = block.Split('\n');
            var attributes = string.Join("\n", lines.TakeWhile(l => l.TrimStart().StartsWith('[')));
            var body = string.Join("\n", lines.SkipWhile(l => l.TrimStart().StartsWith('[')));
            var members = body.Contains("protected override void Up", StringComparison.Ordinal)
                ? body
                : $$"""
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                    {{body}}
                    }
                """;
            return $$"""
                [DbContext(typeof(ExampleContext))]
                [Migration("{{ids[i]}}")]
                {{attributes}}
                public class Step{{i + 1}} : Migration
                {
                {{members}}

                    protected override void BuildTargetModel(ModelBuilder modelBuilder)
                    {
                        modelBuilder.HasAnnotation("ProductVersion", "{{typeof(Microsoft.EntityFrameworkCore.Migrations.Migration).Assembly.GetName().Version}}");
                        {{targetModel}}
                    }
                }
                """;
        });
        return $$"""
            using System;
            using Microsoft.EntityFrameworkCore;
            using Microsoft.EntityFrameworkCore.Infrastructure;
            using Microsoft.EntityFrameworkCore.Migrations;
            using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
            using SafeMigrations;

            namespace PageExamples
            {
                public class ExampleContext(DbContextOptions options) : DbContext(options)
                {
                }

            {{string.Join("\n\n", classes)}}
            }
            """;
    }
}
