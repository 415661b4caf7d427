using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SafeMigrations.Analyzers.Model;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Analyzers;

/// <summary>
/// Compares the entity classes with the ModelSnapshot EF generated last (SM2xxx), so a dropped,
/// renamed or newly required property is flagged while the developer edits, before any migration
/// exists. The comparison is computed once per compilation, on first need; each diagnostic is
/// reported with the type it lands in (the entity, or the DbContext), so opening that file shows it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelSnapshotAnalyzer : DiagnosticAnalyzer
{
    private const string ModelSnapshotTypeName = "Microsoft.EntityFrameworkCore.Infrastructure.ModelSnapshot";
    private const string DbContextAttributeTypeName = "Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.Model;

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (AnalyzerSettings.IsEfToolBuild(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions))
            {
                return; // dotnet ef's own build: findings must not stop it (see the package's props)
            }

            var snapshotType = ReferencedTypes.EntityFrameworkCore(start.Compilation, ModelSnapshotTypeName);
            var contextAttribute = ReferencedTypes.EntityFrameworkCore(start.Compilation, DbContextAttributeTypeName);
            if (snapshotType is null || contextAttribute is null)
            {
                return; // EF Core (relational) is not referenced
            }

            var options = AnalyzerSettings.Read(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions);
            var compilation = start.Compilation;
            var diagnostics = new ComputedOnce<Dictionary<ISymbol, List<Diagnostic>>>(
                cancellationToken => Compare(compilation, snapshotType, contextAttribute, options, cancellationToken));
            start.RegisterSymbolAction(symbolContext =>
            {
                if (diagnostics.Get(symbolContext.CancellationToken).TryGetValue(symbolContext.Symbol, out var found))
                {
                    foreach (var diagnostic in found)
                    {
                        symbolContext.ReportDiagnostic(diagnostic);
                    }
                }
            }, SymbolKind.NamedType);
        });
    }

    private static Dictionary<ISymbol, List<Diagnostic>> Compare(
        Compilation compilation, INamedTypeSymbol snapshotType, INamedTypeSymbol contextAttribute, AnalysisOptions options, CancellationToken cancellationToken)
    {
        var result = new Dictionary<ISymbol, List<Diagnostic>>(SymbolEqualityComparer.Default);
        foreach (var (dbContext, buildModel) in SnapshotModelReader.FindSnapshots(compilation, snapshotType, contextAttribute, cancellationToken))
        {
            var before = SnapshotModelReader.Read(dbContext.Name, buildModel);
            var reader = new EntityModelReader(compilation, dbContext, new HashSet<string>(before.Entities.Select(e => e.ClrName), StringComparer.Ordinal));
            var now = reader.Read();
            foreach (var finding in new ModelChangeAnalyzer(options).Analyze(before, now))
            {
                if (finding.Location is not { } source || !reader.Locations.TryGetValue(source, out var target)
                    || !DiagnosticDescriptors.ById.TryGetValue(finding.RuleId, out var descriptor))
                {
                    continue;
                }

                var anchor = target.Anchor;
                if (!result.TryGetValue(anchor, out var list))
                {
                    result[anchor] = list = [];
                }

                var severity = DiagnosticDescriptors.ToRoslyn(finding.Severity);
                list.Add(severity == descriptor.DefaultSeverity
                    ? Diagnostic.Create(descriptor, target.Location, finding.Message)
                    : Diagnostic.Create(descriptor, target.Location, severity, additionalLocations: null, properties: null, finding.Message));
            }
        }

        return result;
    }
}
