using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace SafeMigrations.Analyzers.Tests;

/// <summary>Runs a code fix for <see cref="MigrationCodeAnalyzer"/>'s diagnostics against real EF Core references; files are named as EF names them.</summary>
internal static class CodeFixVerifier
{
    public static CSharpCodeFixTest<MigrationCodeAnalyzer, TFix, DefaultVerifier> Create<TFix>(string? equivalenceKey = null)
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<MigrationCodeAnalyzer, TFix, DefaultVerifier>
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            CodeActionEquivalenceKey = equivalenceKey,
        };
        test.TestState.AdditionalReferences.AddRange(AnalyzerVerifier.References);
        test.FixedState.AdditionalReferences.AddRange(AnalyzerVerifier.References);
        return test;
    }

    /// <summary>The context and the migration's Designer half, unchanged by every fix.</summary>
    public static void AddUnchanged(SolutionState state, string migrationName, string migrationId)
    {
        state.Sources.Add(("/0/TodoDbContext.cs", MigrationSources.Context));
        state.Sources.Add(($"/0/{migrationId}.Designer.cs", MigrationSources.Designer(migrationName, migrationId)));
    }
}
