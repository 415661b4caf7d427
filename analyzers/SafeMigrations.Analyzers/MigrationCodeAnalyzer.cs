using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SafeMigrations.Analyzers;

/// <summary>
/// Judges EF Core migration classes as the developer types: every MigrationBuilder call in Up (and
/// in Down when checking Down is on) is mapped to a Core operation, and Core's findings are reported
/// at the offending call. Does nothing in compilations that do not reference EF Core.
/// </summary>
/// <remarks>
/// A migration's findings land in Up, in Down, on the class or on its attributes, and what the driver
/// keeps of an action's reports depends on what it was asked to analyse:
/// <list type="bullet">
/// <item>A build, and the IDE's whole-project analysis, keep everything an action reports. There the
/// operation-block action on Up reports all of a migration's findings, judged from the operation tree
/// the compiler has already bound, alongside the compile.</item>
/// <item>The IDE's analysis of one document, or of the span under the caret, keeps only what an action
/// reports within what it analysed: Up's findings from Up's block action. The class's symbol action
/// (its declaration holds everything else) reports the rest, only there: in a build it would judge
/// before the compiler has bound Up.</item>
/// </list>
/// Each migration is judged once per compilation, by whichever action comes first. Other designs cost
/// more on a large project (bench/AnalyzerOverhead, docs/benchmarks.md): judging in the symbol action
/// during a build binds Up and Down a second time (+15%); a semantic-model action waits for each whole
/// file (+7%); symbol-start actions make the driver track every member of every type (+34%).
/// </remarks>
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
            if (AnalyzerSettings.IsEfToolBuild(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions))
            {
                return; // dotnet ef's own build: findings must not stop it (see the package's props)
            }

            if (MigrationTypes.In(start.Compilation) is not { } types)
            {
                return; // EF Core is not referenced: nothing to judge
            }

            var judge = new MigrationJudge(types, new EarlierMigrations(start.Compilation, types), AnalyzerSettings.Read(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions));
            var judged = new ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<Diagnostic>>(SymbolEqualityComparer.Default);
            start.RegisterOperationBlockAction(block => OnUpMethod(block, judge, judged));
            start.RegisterSymbolAction(symbol => OnTypeInDocument(symbol, judge, judged), SymbolKind.NamedType);
        });
    }

    private static void OnUpMethod(OperationBlockAnalysisContext context, MigrationJudge judge, ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<Diagnostic>> judged)
    {
        if (context.OwningSymbol is not IMethodSymbol { Name: "Up", IsOverride: true, Parameters.Length: 1, ContainingType: { IsAbstract: false } type }
            || !judge.Types.IsMigration(type) || context.OperationBlocks.IsEmpty)
        {
            return;
        }

        var up = context.OperationBlocks[0];
        // GetOrAdd runs the factory outside its lock and keeps no exception or cancellation.
        var diagnostics = judged.GetOrAdd(type, _ => judge.Judge(type, up, DownBody(judge, type, up.SemanticModel, context.CancellationToken), context.CancellationToken));
        foreach (var diagnostic in diagnostics)
        {
            context.ReportDiagnostic(diagnostic); // in a document's analysis, the driver keeps those within Up
        }
    }

    private static void OnTypeInDocument(SymbolAnalysisContext context, MigrationJudge judge, ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<Diagnostic>> judged)
    {
        if (context.FilterTree is null // a build or a whole project: Up's block action reports everything
            || context.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false } type || !judge.Types.IsMigration(type))
        {
            return;
        }

        if (MigrationJudge.Override(type, "Up", context.CancellationToken) is not { } upSyntax)
        {
            return;
        }

        var diagnostics = judged.GetOrAdd(type, _ =>
            Model(context.Compilation, upSyntax) is var model && model.GetOperation(upSyntax, context.CancellationToken) is { } up
                ? judge.Judge(type, up, DownBody(judge, type, model, context.CancellationToken), context.CancellationToken)
                : ImmutableArray<Diagnostic>.Empty);
        foreach (var diagnostic in diagnostics)
        {
            // Up's block action reports Up's own findings; the driver would keep them from both.
            if (diagnostic.Location.SourceTree != upSyntax.SyntaxTree || !upSyntax.Span.Contains(diagnostic.Location.SourceSpan))
            {
                context.ReportDiagnostic(diagnostic);
            }
        }
    }

    // Down normally sits in Up's file, whose semantic model this is; a Down in another partial file is
    // bound from that file's model. Unless its calls are judged, it is not bound at all: binding every
    // Down again (the compiler binds it for itself) was a large part of the analyzer's cost in a build.
    private static IOperation? DownBody(MigrationJudge judge, INamedTypeSymbol type, SemanticModel? upModel, CancellationToken cancellationToken)
    {
        if (!judge.ReadsDown || MigrationJudge.Override(type, "Down", cancellationToken) is not { } downSyntax || upModel is null)
        {
            return null;
        }

        var model = downSyntax.SyntaxTree == upModel.SyntaxTree ? upModel : Model(upModel.Compilation, downSyntax);
        return model.GetOperation(downSyntax, cancellationToken);
    }

    // In the IDE the symbol action has no model; the driver attaches a caching semantic-model provider to
    // the compilation it analyses, so this is the model its own actions get for that file.
    private static SemanticModel Model(Compilation compilation, MethodDeclarationSyntax method)
    {
#pragma warning disable RS1030 // The driver's cached model (see above); only Up's and Down's bodies get bound in it.
        return compilation.GetSemanticModel(method.SyntaxTree);
#pragma warning restore RS1030
    }
}
