using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SafeMigrations.Analyzers;

namespace RealHistories;

/// <summary>
/// Runs both SafeMigrations analyzers over the compiled history as a build would (the whole compilation,
/// no editorconfig: default severities and options) and keeps every SM diagnostic.
/// </summary>
internal static class AnalyzerPass
{
    /// <param name="problems">Receives each exception an analyzer threw (the driver catches them and goes on).</param>
    public static async Task<IReadOnlyList<ToolFinding>> RunAsync(CompiledHistory history, MigrationLocator locator, ICollection<string> problems)
    {
        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            (exception, analyzer, _) => exceptions.Enqueue($"{analyzer.GetType().Name} threw {exception.GetType().Name}: {exception.Message}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new MigrationCodeAnalyzer(), new ModelSnapshotAnalyzer());
        var diagnostics = await history.Compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
        foreach (var exception in exceptions.Distinct(StringComparer.Ordinal))
        {
            problems.Add(exception);
        }

        return diagnostics
            .Where(d => d.Id.StartsWith("SM", StringComparison.Ordinal))
            .Select(d => new ToolFinding(
                Tool.Analyzers,
                locator.MigrationIdAt(d.Location),
                d.Id,
                SeverityName(d.Severity),
                locator.Describe(d.Location),
                d.GetMessage(CultureInfo.InvariantCulture)))
            .ToList();
    }

    private static string SeverityName(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "info",
        _ => "hidden",
    };
}
