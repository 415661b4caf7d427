using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyModel;

namespace SafeMigrations.RuleExamples.Tests;

/// <summary>
/// A rule page's code blocks as C# migrations of one DbContext (RuleExamples.ExampleContext), each block the Up of a
/// migration with [DbContext] and [Migration], ids in block order; and what they compile against: the running
/// project's own EF Core, Npgsql and SafeMigrations assemblies. The rule-example tests and the load harness
/// (bench/LoadHarness) compile pages through this one source.
/// </summary>
internal static class ExampleSource
{
    /// <summary>The running project's compile references (it sets PreserveCompilationContext).</summary>
    public static readonly ImmutableArray<MetadataReference> References = DependencyContext.Default!.CompileLibraries
        .SelectMany(library => library.ResolveReferencePaths())
        .Distinct(StringComparer.Ordinal)
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
        .ToImmutableArray();

    /// <summary>
    /// A block holds the statements of Up, or whole members (an Up and a Down of its own); lines before
    /// them that start with '[' are attributes of the migration class ([SuppressMigrationRule(…)]).
    /// </summary>
    public static string Of(IReadOnlyList<string> blocks, IReadOnlyList<string> ids, string targetModel)
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

                    protected override void Down(MigrationBuilder migrationBuilder)
                    {
                        migrationBuilder.Sql("SELECT 1;");
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
                        modelBuilder.HasAnnotation("ProductVersion", "{{typeof(Migration).Assembly.GetName().Version}}");
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

            namespace RuleExamples
            {
                public class ExampleContext(DbContextOptions options) : DbContext(options)
                {
                }

            {{string.Join("\n\n", classes)}}
            }
            """;
    }
}
