using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
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
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.Migration;

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (MigrationTypes.In(start.Compilation) is not { } types)
            {
                return; // EF Core is not referenced: nothing to judge
            }

            var earlier = new EarlierMigrations(start.Compilation, types);
            var options = AnalyzerSettings.Read(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions);
            // One semantic-model action per file judges the migrations declared in it. Their findings
            // land in Up, in Down, on the class or on its attributes. The IDE analyses a document (or
            // the span under the caret) and keeps only what the actions run for it report within it;
            // an action on Up's body would lose everything outside Up there. Symbol-start actions would
            // make the driver compute per-symbol actions for every member of every type, which cost
            // several times our own work on a large project (bench/AnalyzerOverhead).
            start.RegisterSemanticModelAction(file => OnFile(file, types, earlier, options));
        });
    }

    private static void OnFile(SemanticModelAnalysisContext context, MigrationTypes types, EarlierMigrations earlier, AnalysisOptions options)
    {
        var model = context.SemanticModel;
        var cancellationToken = context.CancellationToken;
        foreach (var (declaration, upSyntax) in MigrationDeclarations(model.SyntaxTree.GetRoot(cancellationToken)))
        {
            if (model.GetDeclaredSymbol(declaration, cancellationToken) is not { IsAbstract: false } type || !types.IsMigration(type)
                || model.GetOperation(upSyntax, cancellationToken) is not { } upBody)
            {
                continue;
            }

            var calls = new MigrationCalls();
            calls.Collect(upBody, up: true, types.Builder);

            // Down normally sits in Up's file, whose semantic model this is; a Down in another partial
            // file stays unread (DownState.Unknown) rather than binding a second file here.
            var downSyntax = DownMethod(type)?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as MethodDeclarationSyntax;
            if (downSyntax is not null && downSyntax.SyntaxTree == model.SyntaxTree && model.GetOperation(downSyntax, cancellationToken) is { } downBody)
            {
                calls.Collect(downBody, up: false, types.Builder);
            }

            Report(context, type, downSyntax, types, earlier, options, calls);
        }
    }

    /// <summary>
    /// The classes of a file that override Up(MigrationBuilder), found by walking declarations only
    /// (never method bodies), so files without migrations cost next to nothing.
    /// </summary>
    private static IEnumerable<(ClassDeclarationSyntax Declaration, MethodDeclarationSyntax Up)> MigrationDeclarations(SyntaxNode root)
    {
        var members = root is CompilationUnitSyntax unit ? unit.Members : default;
        var pending = new Stack<MemberDeclarationSyntax>(members);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case BaseNamespaceDeclarationSyntax ns:
                    foreach (var member in ns.Members)
                    {
                        pending.Push(member);
                    }

                    break;
                case ClassDeclarationSyntax type:
                    foreach (var member in type.Members)
                    {
                        if (member is MethodDeclarationSyntax { Identifier.ValueText: "Up", ParameterList.Parameters.Count: 1 } up
                            && up.Modifiers.Any(SyntaxKind.OverrideKeyword))
                        {
                            yield return (type, up);
                        }
                        else if (member is ClassDeclarationSyntax nested)
                        {
                            pending.Push(nested);
                        }
                    }

                    break;
            }
        }
    }

    private static void Report(SemanticModelAnalysisContext context, INamedTypeSymbol type, MethodDeclarationSyntax? downSyntax, MigrationTypes types, EarlierMigrations earlier, AnalysisOptions options, MigrationCalls calls)
    {
        var classLocation = type.Locations.FirstOrDefault(l => l.IsInSource && !IsGenerated(l)) ?? type.Locations.FirstOrDefault() ?? Location.None;
        var classSpan = classLocation.GetLineSpan();
        var suppressions = Suppressions(type, types, calls);
        var migration = new MigrationDefinition(types.IdOf(type), calls.Operations(up: true))
        {
            DownOperations = calls.Operations(up: false),
            DownState = DownStateOf(type, downSyntax, calls),
            Suppressions = suppressions,
            Location = new SourceLocation(classSpan.Path, classSpan.StartLinePosition.Line + 1, classSpan.StartLinePosition.Character + 1),
        };
        calls.Register(migration.Location!, classLocation);

        var history = SchemaHistory.MayMatterTo(migration.UpOperations) ? earlier.Before(migration.Id, context.CancellationToken) : null;
        foreach (var finding in new MigrationAnalyzer(options).Analyze(migration, history))
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

    private static IReadOnlyList<Suppression> Suppressions(INamedTypeSymbol type, MigrationTypes types, MigrationCalls calls)
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

    private static bool IsGenerated(Location location) =>
        location.SourceTree?.FilePath.EndsWith(".Designer.cs", StringComparison.OrdinalIgnoreCase) == true;
}
