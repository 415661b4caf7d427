using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SafeMigrations.RuleExamples.Tests;
using SafeMigrations.Runtime;

namespace LoadHarness;

/// <summary>
/// A rule page's code blocks as an app's migrations (<see cref="ExampleSource"/>, the rule-example tests' source),
/// compiled against this project's EF Core and Npgsql, so EF's Migrate() and the runner apply them with the SQL EF
/// and Npgsql generate.
/// </summary>
internal sealed class PageMigrations
{
    private readonly Type contextType;

    private PageMigrations(IReadOnlyList<string> ids, Type contextType)
    {
        Ids = ids;
        this.contextType = contextType;
    }

    public IReadOnlyList<string> Ids { get; }

    public static PageMigrations Compile(string name, IReadOnlyList<string> blocks, string? targetModel)
    {
        var ids = blocks.Select((_, i) => $"2026010100{i:D4}_Step{i + 1}").ToList();
        var tree = CSharpSyntaxTree.ParseText(ExampleSource.Of(blocks, ids, targetModel ?? string.Empty), CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            name + Guid.NewGuid().ToString("N"), [tree], ExampleSource.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            throw new InvalidOperationException($"{name} does not compile: " + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        image.Position = 0;
        var assembly = new AssemblyLoadContext(name, isCollectible: true).LoadFromStream(image);
        return new PageMigrations(ids, assembly.GetType("RuleExamples.ExampleContext", throwOnError: true)!);
    }

    /// <summary>
    /// Applies the migrations: with <paramref name="runner"/> null as EF Core does (MigrateAsync, no time limit), else
    /// with the runner and those options. Returns why it failed, or null.
    /// </summary>
    public async Task<string?> ApplyAsync(string connectionString, SafeMigrationOptions? runner)
    {
        try
        {
            await using var context = (DbContext)Activator.CreateInstance(contextType, new DbContextOptionsBuilder().UseNpgsql(connectionString)
                // The examples have no model snapshot: EF 9+ would stop Migrate() over that, not over the schema change.
                .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning)).Options)!;
            if (runner is null)
            {
                context.Database.SetCommandTimeout(TimeSpan.FromHours(1));
                await context.Database.MigrateAsync();
            }
            else
            {
                await context.Database.SafeMigrateAsync(runner);
            }

            return null;
        }
        catch (Exception e) when (e is SafeMigrationException or NpgsqlException or InvalidOperationException)
        {
            // A PostgreSQL error by its code and text (its Message would add Npgsql's note on redacted details).
            return e is PostgresException p ? $"{p.SqlState}: {p.MessageText}" : e.Message;
        }
    }
}
