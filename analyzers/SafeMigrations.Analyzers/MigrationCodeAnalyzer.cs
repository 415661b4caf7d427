using System;
using System.Collections.Concurrent;
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
            start.RegisterSymbolStartAction(symbolStart => OnTypeStart(symbolStart, types, options), SymbolKind.NamedType);
        });
    }

    private static void OnTypeStart(SymbolStartAnalysisContext context, KnownTypes types, AnalysisOptions options)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.IsAbstract || !DerivesFrom(type, types.Migration))
        {
            return;
        }

        var collected = new MigrationCalls();
        context.RegisterOperationAction(operationContext =>
        {
            var invocation = (IInvocationOperation)operationContext.Operation;
            if (operationContext.ContainingSymbol is not IMethodSymbol { Name: "Up" or "Down", IsOverride: true } method
                || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, types.Builder))
            {
                return;
            }

            var syntax = invocation.Syntax;
            var span = syntax.GetLocation().GetLineSpan();
            var location = new SourceLocation(span.Path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1);
            if (MigrationBuilderCallMapper.Map(invocation, location) is { } operation)
            {
                collected.Add(method.Name == "Up", operation, syntax.GetLocation(), syntax.SpanStart);
            }
        }, OperationKind.Invocation);

        context.RegisterSymbolEndAction(end => Report(end, type, types, options, collected));
    }

    private static void Report(SymbolAnalysisContext context, INamedTypeSymbol type, KnownTypes types, AnalysisOptions options, MigrationCalls calls)
    {
        var classLocation = type.Locations.FirstOrDefault(l => l.IsInSource && !IsGenerated(l)) ?? type.Locations.FirstOrDefault() ?? Location.None;
        var classSpan = classLocation.GetLineSpan();
        var suppressions = Suppressions(type, types, calls);
        var migration = new MigrationDefinition(MigrationId(type, types), calls.Operations(up: true))
        {
            DownOperations = calls.Operations(up: false),
            DownState = DownStateOf(type, calls),
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

    private static DownState DownStateOf(INamedTypeSymbol type, MigrationCalls calls)
    {
        var down = type.GetMembers("Down").OfType<IMethodSymbol>().FirstOrDefault(m => m.IsOverride);
        if (down is null)
        {
            return DownState.Missing;
        }

        var syntax = down.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() as MethodDeclarationSyntax;
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

    /// <summary>The calls found in one migration class; operation actions for Up and Down may run concurrently.</summary>
    private sealed class MigrationCalls
    {
        private readonly ConcurrentBag<(bool Up, SchemaOperation Operation, int Position)> operations = new();
        private readonly ConcurrentDictionary<SourceLocation, Location> locations = new();

        public bool HasDown => operations.Any(o => !o.Up);

        public void Add(bool up, SchemaOperation operation, Location location, int position)
        {
            operations.Add((up, operation, position));
            Register(operation.Location!, location);
        }

        public void Register(SourceLocation source, Location location) => locations.TryAdd(source, location);

        public Location? Find(SourceLocation source) => locations.TryGetValue(source, out var location) ? location : null;

        public IReadOnlyList<SchemaOperation> Operations(bool up) =>
            operations.Where(o => o.Up == up).OrderBy(o => o.Position).Select(o => o.Operation).ToList();
    }
}
