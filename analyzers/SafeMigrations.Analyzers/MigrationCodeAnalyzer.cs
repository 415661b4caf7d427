using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;
using Suppression = SafeMigrations.Core.Model.Suppression;

namespace SafeMigrations.Analyzers;

/// <summary>
/// Judges EF Core migration classes as the developer types: every MigrationBuilder call in Up (and
/// Down, for SM1020 and when checking Down is on) is mapped to a Core operation, and Core's findings
/// are reported at the offending call. Does nothing in compilations that do not reference EF Core.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MigrationCodeAnalyzer : DiagnosticAnalyzer
{
    private const string MigrationTypeName = "Microsoft.EntityFrameworkCore.Migrations.Migration";
    private const string MigrationBuilderTypeName = "Microsoft.EntityFrameworkCore.Migrations.MigrationBuilder";
    private const string MigrationAttributeTypeName = "Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute";
    private const string SuppressAttributeTypeName = "SafeMigrations.SuppressMigrationRuleAttribute";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.Migration;

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var migrationType = start.Compilation.GetTypeByMetadataName(MigrationTypeName);
            var builderType = start.Compilation.GetTypeByMetadataName(MigrationBuilderTypeName);
            if (migrationType is null || builderType is null)
            {
                return; // EF Core is not referenced: nothing to judge
            }

            var types = new KnownTypes(migrationType, builderType,
                start.Compilation.GetTypeByMetadataName(MigrationAttributeTypeName),
                start.Compilation.GetTypeByMetadataName(SuppressAttributeTypeName));
            var options = AnalyzerSettings.Read(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions);
            // One operation-block action on Up judges the whole migration, Down included. Symbol-start
            // actions would make the driver compute per-symbol actions for every member of every type,
            // which cost several times our own work on a large project (bench/AnalyzerOverhead).
            start.RegisterOperationBlockAction(block => OnUpMethod(block, types, options));
        });
    }

    private static void OnUpMethod(OperationBlockAnalysisContext context, KnownTypes types, AnalysisOptions options)
    {
        if (context.OwningSymbol is not IMethodSymbol { Name: "Up", IsOverride: true, Parameters.Length: 1, ContainingType: { IsAbstract: false } type }
            || !DerivesFrom(type, types.Migration))
        {
            return;
        }

        var calls = new MigrationCalls();
        foreach (var block in context.OperationBlocks)
        {
            calls.Collect(block, up: true, types.Builder);
        }

        var downSyntax = DownMethod(type)?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken) as MethodDeclarationSyntax;
        // Down normally sits in Up's file, whose semantic model the driver has already bound; a Down in
        // another partial file stays unread (DownState.Unknown) rather than binding a second tree here.
        if (downSyntax is not null
            && context.OperationBlocks.FirstOrDefault()?.SemanticModel is { } model
            && model.SyntaxTree == downSyntax.SyntaxTree
            && model.GetOperation(downSyntax, context.CancellationToken) is { } downBody)
        {
            calls.Collect(downBody, up: false, types.Builder);
        }

        Report(context, type, downSyntax, types, options, calls);
    }

    private static void Report(OperationBlockAnalysisContext context, INamedTypeSymbol type, MethodDeclarationSyntax? downSyntax, KnownTypes types, AnalysisOptions options, MigrationCalls calls)
    {
        var classLocation = type.Locations.FirstOrDefault(l => l.IsInSource && !IsGenerated(l)) ?? type.Locations.FirstOrDefault() ?? Location.None;
        var classSpan = classLocation.GetLineSpan();
        var suppressions = Suppressions(type, types, calls);
        var migration = new MigrationDefinition(MigrationId(type, types), calls.Operations(up: true))
        {
            DownOperations = calls.Operations(up: false),
            DownState = DownStateOf(type, downSyntax, calls),
            Suppressions = suppressions,
            Location = new SourceLocation(classSpan.Path, classSpan.StartLinePosition.Line + 1, classSpan.StartLinePosition.Character + 1),
        };
        calls.Register(migration.Location!, classLocation);

        foreach (var finding in new MigrationAnalyzer(options).Analyze(migration))
        {
            if (!DiagnosticDescriptors.ById.TryGetValue(finding.RuleId, out var descriptor))
            {
                continue;
            }

            var location = finding.Location is { } source ? calls.Find(source) ?? classLocation : classLocation;
            var severity = DiagnosticDescriptors.ToRoslyn(finding.Severity);
            context.ReportDiagnostic(severity == descriptor.DefaultSeverity
                ? Diagnostic.Create(descriptor, location, finding.Message)
                : Diagnostic.Create(descriptor, location, severity, additionalLocations: null, properties: null, finding.Message));
        }
    }

    private static string MigrationId(INamedTypeSymbol type, KnownTypes types)
    {
        var attribute = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, types.MigrationAttribute));
        return attribute?.ConstructorArguments.FirstOrDefault().Value as string ?? type.Name;
    }

    private static IReadOnlyList<Suppression> Suppressions(INamedTypeSymbol type, KnownTypes types, MigrationCalls calls)
    {
        var suppressions = new List<Suppression>();
        if (types.SuppressAttribute is null)
        {
            return suppressions;
        }

        foreach (var attribute in type.GetAttributes().Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, types.SuppressAttribute)))
        {
            var ruleId = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? string.Empty;
            var justification = attribute.NamedArguments.FirstOrDefault(n => n.Key == "Justification").Value.Value as string;
            SourceLocation? location = null;
            if (attribute.ApplicationSyntaxReference is { } reference)
            {
                var roslynLocation = Location.Create(reference.SyntaxTree, reference.Span);
                var span = roslynLocation.GetLineSpan();
                location = new SourceLocation(span.Path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1);
                calls.Register(location, roslynLocation);
            }

            suppressions.Add(new Suppression(ruleId, justification, location));
        }

        return suppressions;
    }

    private static IMethodSymbol? DownMethod(INamedTypeSymbol type) =>
        type.GetMembers("Down").OfType<IMethodSymbol>().FirstOrDefault(m => m.IsOverride);

    private static DownState DownStateOf(INamedTypeSymbol type, MethodDeclarationSyntax? syntax, MigrationCalls calls)
    {
        if (DownMethod(type) is null)
        {
            return DownState.Missing;
        }

        if (syntax is null)
        {
            return DownState.Unknown;
        }

        var statements = syntax.Body?.Statements.ToList() ?? [];
        if (syntax.ExpressionBody is { Expression: ThrowExpressionSyntax } || statements.Count == 1 && statements[0] is ThrowStatementSyntax)
        {
            return DownState.Throws;
        }

        return syntax.Body is not null && statements.Count == 0 ? DownState.Empty : calls.HasDown ? DownState.Present : DownState.Unknown;
    }

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol baseType)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsGenerated(Location location) =>
        location.SourceTree?.FilePath.EndsWith(".Designer.cs", StringComparison.OrdinalIgnoreCase) == true;

    private sealed record KnownTypes(INamedTypeSymbol Migration, INamedTypeSymbol Builder, INamedTypeSymbol? MigrationAttribute, INamedTypeSymbol? SuppressAttribute);

    /// <summary>The MigrationBuilder calls found in one migration's Up and Down, with where each was made.</summary>
    private sealed class MigrationCalls
    {
        private readonly List<(bool Up, SchemaOperation Operation, int Position)> operations = [];
        private readonly Dictionary<SourceLocation, Location> locations = [];

        public bool HasDown => operations.Any(o => !o.Up);

        public void Collect(IOperation body, bool up, INamedTypeSymbol builder)
        {
            foreach (var invocation in body.Descendants().OfType<IInvocationOperation>())
            {
                if (!SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, builder))
                {
                    continue;
                }

                var syntax = invocation.Syntax;
                var location = syntax.GetLocation();
                var span = location.GetLineSpan();
                var source = new SourceLocation(span.Path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1);
                if (MigrationBuilderCallMapper.Map(invocation, source) is { } operation)
                {
                    operations.Add((up, operation, syntax.SpanStart));
                    Register(source, location);
                }
            }
        }

        public void Register(SourceLocation source, Location location)
        {
            if (!locations.ContainsKey(source))
            {
                locations[source] = location;
            }
        }

        public Location? Find(SourceLocation source) => locations.TryGetValue(source, out var location) ? location : null;

        public IReadOnlyList<SchemaOperation> Operations(bool up) =>
            operations.Where(o => o.Up == up).OrderBy(o => o.Position).Select(o => o.Operation).ToList();
    }
}
