using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SafeMigrations.Analyzers.Model;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;
using Suppression = SafeMigrations.Core.Model.Suppression;

namespace SafeMigrations.Analyzers;

/// <summary>
/// Judges one migration class: maps every MigrationBuilder call of its Up and Down to a Core
/// operation, runs Core's rules, and turns each finding into a diagnostic at the offending call (or
/// on the class, or on a suppression attribute).
/// </summary>
internal sealed class MigrationJudge(MigrationTypes types, EarlierMigrations earlier, AnalysisOptions options)
{
    public MigrationTypes Types => types;

    /// <summary>
    /// Whether Down's calls can change a finding. They are judged only when checking Down is on; else
    /// only Down's shape counts (missing, empty or throwing: SM1020), which its syntax tells.
    /// </summary>
    public bool ReadsDown => options.CheckDown;

    /// <summary>The override of Up or Down declared by a migration class, if it has one in source.</summary>
    public static MethodDeclarationSyntax? Override(INamedTypeSymbol type, string name, CancellationToken cancellationToken) =>
        OverrideMethod(type, name)?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as MethodDeclarationSyntax;

    /// <param name="down">Down's operation tree; null when it has none in source or it was not bound.</param>
    public ImmutableArray<Diagnostic> Judge(INamedTypeSymbol type, IOperation up, IOperation? down, CancellationToken cancellationToken)
    {
        var calls = new MigrationCalls();
        calls.Collect(up, up: true, types.Builder);
        if (down is not null)
        {
            calls.Collect(down, up: false, types.Builder);
        }

        var classLocation = type.Locations.FirstOrDefault(l => l.IsInSource && !IsGenerated(l)) ?? type.Locations.FirstOrDefault() ?? Location.None;
        var classSpan = classLocation.GetLineSpan();
        var migration = new MigrationDefinition(types.IdOf(type), WithTargetModel(type, calls.Operations(up: true), cancellationToken))
        {
            DownOperations = calls.Operations(up: false),
            DownState = DownStateOf(type, down?.Syntax as MethodDeclarationSyntax ?? Override(type, "Down", cancellationToken), calls),
            Suppressions = Suppressions(type, calls),
            ContextName = types.ContextOf(type)?.Name,
            Location = new SourceLocation(classSpan.Path, classSpan.StartLinePosition.Line + 1, classSpan.StartLinePosition.Character + 1),
        };
        calls.Register(migration.Location!, classLocation);

        var history = SchemaHistory.MayMatterTo(migration.UpOperations) ? earlier.Before(migration.Id, types.ContextOf(type), cancellationToken) : null;
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var finding in new MigrationAnalyzer(options).Analyze(migration, history))
        {
            if (!DiagnosticDescriptors.ById.TryGetValue(finding.RuleId, out var descriptor))
            {
                continue;
            }

            var location = finding.Location is { } source ? calls.Find(source) ?? classLocation : classLocation;
            var severity = DiagnosticDescriptors.ToRoslyn(finding.Severity);
            diagnostics.Add(severity == descriptor.DefaultSeverity
                ? Diagnostic.Create(descriptor, location, finding.Message)
                : Diagnostic.Create(descriptor, location, severity, additionalLocations: null, properties: null, finding.Message));
        }

        diagnostics.AddRange(SuppressionsWithoutTheirPackage(type));
        if (types.UnboundContextOf(type) is { } unbound)
        {
            diagnostics.Add(ContextNotFound(type, unbound, classLocation));
        }

        return diagnostics.ToImmutable();
    }

    /// <summary>
    /// [SuppressMigrationRule] written where it does not bind: the compiler says only CS0246, so say
    /// which package brings it.
    /// </summary>
    private static IEnumerable<Diagnostic> SuppressionsWithoutTheirPackage(INamedTypeSymbol type)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is { TypeKind: TypeKind.Error, Name: "SuppressMigrationRule" or "SuppressMigrationRuleAttribute" }
                && attribute.ApplicationSyntaxReference is { } reference)
            {
                yield return Diagnostic.Create(
                    DiagnosticDescriptors.SuppressionAttributeNotFound,
                    Location.Create(reference.SyntaxTree, reference.Span),
                    "[SuppressMigrationRule] is not found: it is in the SafeMigrations.Abstractions package (namespace SafeMigrations), which the analyzers do not bring along. Run 'dotnet add package SafeMigrations.Abstractions' and add 'using SafeMigrations;'.");
            }
        }
    }

    /// <summary>
    /// [DbContext(typeof(X))] where X does not exist: EF never finds the migration, and the compiler's CS0246 is
    /// in the Designer file; say so on the migration, with the contexts the project has.
    /// </summary>
    private static Diagnostic ContextNotFound(INamedTypeSymbol type, ITypeSymbol unbound, Location classLocation)
    {
        var contexts = ContextsOf(type.ContainingAssembly.GlobalNamespace).Select(c => c.ToDisplayString()).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var known = contexts.Count == 0 ? "The project declares no DbContext." : "Its DbContext types: " + string.Join(", ", contexts) + ".";
        return Diagnostic.Create(
            DiagnosticDescriptors.UnknownMigrationContext,
            classLocation,
            $"Migration {type.Name} belongs to [DbContext(typeof({unbound.ToDisplayString()}))], a type this project does not have, so EF will not find the migration. {known} Name one of them, namespace-qualified unless it is in the migration's namespace or a parent of it.");
    }

    private static IEnumerable<INamedTypeSymbol> ContextsOf(INamespaceSymbol ns)
    {
        foreach (var member in ns.GetMembers())
        {
            if (member is INamespaceSymbol inner)
            {
                foreach (var context in ContextsOf(inner))
                {
                    yield return context;
                }
            }
            else if (member is INamedTypeSymbol { IsAbstract: false } candidate && IsDbContext(candidate))
            {
                yield return candidate;
            }
        }
    }

    private static bool IsDbContext(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.ToDisplayString() == "Microsoft.EntityFrameworkCore.DbContext")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Completes the operations with what the migration's target model says and its code does not (Core's
    /// <see cref="TargetModelCompletion"/>, as the design host completes EF's). The Designer is read only for a
    /// migration that has such a column.
    /// </summary>
    private static IReadOnlyList<SchemaChange> WithTargetModel(INamedTypeSymbol type, IReadOnlyList<SchemaChange> operations, CancellationToken cancellationToken)
    {
        if (!operations.Any(TargetModelCompletion.Needs)
            || OverrideMethod(type, "BuildTargetModel")?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not MethodDeclarationSyntax buildTargetModel)
        {
            return operations;
        }

        return TargetModelCompletion.Complete(operations, TargetModelColumns.Read(buildTargetModel));
    }

    private IReadOnlyList<Suppression> Suppressions(INamedTypeSymbol type, MigrationCalls calls)
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

    private static IMethodSymbol? OverrideMethod(INamedTypeSymbol type, string name)
    {
        foreach (var member in type.GetMembers(name))
        {
            if (member is IMethodSymbol { IsOverride: true, Parameters.Length: 1 } method && !method.IsImplicitlyDeclared)
            {
                return method;
            }
        }

        return null;
    }

    private static DownState DownStateOf(INamedTypeSymbol type, MethodDeclarationSyntax? syntax, MigrationCalls calls)
    {
        if (OverrideMethod(type, "Down") is null)
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
