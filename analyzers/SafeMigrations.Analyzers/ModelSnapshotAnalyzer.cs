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
using SafeMigrations.Core.Gate;
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
            // Generation on build writes what these rules ask for: the build that would show them would also make them stale.
            var carriedOut = AnalyzerSettings.IsGenerateOnBuild(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions) ? SafeFormPlanner.ModelRulesGenerationCarriesOut : [];
            var compilation = start.Compilation;
            var diagnostics = new ComputedOnce<Dictionary<SyntaxNode, List<Diagnostic>>>(
                cancellationToken => Compare(compilation, snapshotType, contextAttribute, options, carriedOut, cancellationToken));
            start.RegisterSymbolAction(symbolContext =>
            {
                var found = diagnostics.Get(symbolContext.CancellationToken);
                foreach (var declaration in symbolContext.Symbol.DeclaringSyntaxReferences)
                {
                    if (found.TryGetValue(declaration.GetSyntax(symbolContext.CancellationToken), out var here))
                    {
                        foreach (var diagnostic in here)
                        {
                            symbolContext.ReportDiagnostic(diagnostic);
                        }
                    }
                }
            }, SymbolKind.NamedType);
        });
    }

    /// <summary>
    /// The findings, each keyed by the type declaration that contains its location: a finding on a
    /// property of a base class, a shadow property configured in the DbContext, or an index configured in
    /// an IEntityTypeConfiguration is reported with the type declared in that file, where the IDE's
    /// analysis of that one document keeps it.
    /// </summary>
    private static Dictionary<SyntaxNode, List<Diagnostic>> Compare(
        Compilation compilation, INamedTypeSymbol snapshotType, INamedTypeSymbol contextAttribute, AnalysisOptions options, IReadOnlyCollection<string> carriedOut, CancellationToken cancellationToken)
    {
        var result = new Dictionary<SyntaxNode, List<Diagnostic>>();
        foreach (var (dbContext, buildModel) in SnapshotModelReader.FindSnapshots(compilation, snapshotType, contextAttribute, cancellationToken))
        {
            var before = SnapshotModelReader.Read(dbContext.Name, buildModel, ValueTypes(compilation, buildModel.SyntaxTree, cancellationToken));
            var reader = new EntityModelReader(compilation, dbContext, new HashSet<string>(before.Entities.Select(e => e.ClrName), StringComparer.Ordinal));
            var now = reader.Read();
            var contextDeclaration = dbContext.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken);
            foreach (var finding in new ModelChangeAnalyzer(options).Analyze(before, now))
            {
                if (carriedOut.Contains(finding.RuleId) || finding.Location is not { } source || !reader.Locations.TryGetValue(source, out var location)
                    || !DiagnosticDescriptors.ById.TryGetValue(finding.RuleId, out var descriptor)
                    || (DeclarationContaining(location, cancellationToken) ?? contextDeclaration) is not { } anchor)
                {
                    continue;
                }

                if (!result.TryGetValue(anchor, out var list))
                {
                    result[anchor] = list = [];
                }

                var severity = DiagnosticDescriptors.ToRoslyn(finding.Severity);
                list.Add(severity == descriptor.DefaultSeverity
                    ? Diagnostic.Create(descriptor, location, finding.Message)
                    : Diagnostic.Create(descriptor, location, severity, additionalLocations: null, properties: null, finding.Message));
            }
        }

        return result;
    }

    private static SyntaxNode? DeclarationContaining(Location location, CancellationToken cancellationToken) =>
        location.SourceTree?.GetRoot(cancellationToken).FindNode(location.SourceSpan, getInnermostNodeForTie: true)
            .AncestorsAndSelf().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault();

    /// <summary>
    /// Whether a snapshot's Property&lt;T&gt; type argument is a value type (NOT NULL unless it is T?), asked
    /// of the type's symbol; the snapshot's semantic model is made only if a name outside the fast list
    /// (NodaTime's Instant, NpgsqlRange&lt;int&gt;) comes up.
    /// </summary>
    private static Func<TypeSyntax, bool> ValueTypes(Compilation compilation, SyntaxTree snapshot, CancellationToken cancellationToken)
    {
        SemanticModel? model = null;
        return type =>
        {
#pragma warning disable RS1030 // Binds a handful of type names of the (generated) snapshot, once per compilation.
            model ??= compilation.GetSemanticModel(snapshot);
#pragma warning restore RS1030
            return model.GetTypeInfo(type, cancellationToken).Type is { IsValueType: true } bound
                && bound.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T;
        };
    }
}
