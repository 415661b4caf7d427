using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Gate;

/// <summary>A change the model has and no migration captures, with what the rules would say of it in a migration.</summary>
public sealed record PendingChange(SchemaChange Change, IReadOnlyList<Finding> Findings)
{
    /// <summary>The worst finding's severity; <see cref="Severity.None"/> when the change is safe as EF would scaffold it.</summary>
    public Severity Worst => Findings.Count == 0 ? Severity.None : Findings.Max(f => f.Severity);
}

/// <summary>SM3001: the model differs from the last migration's snapshot; each difference is judged as the migration EF would scaffold.</summary>
public sealed record PendingModelChanges(string ContextName, IReadOnlyList<PendingChange> Changes, Finding Finding);

/// <summary>Judges the operations EF's differ finds between the snapshot and the model (SM3001).</summary>
public static class PendingModelChangesCheck
{
    private const int Listed = 8;
    private const string PendingFile = "<pending>";

    /// <param name="history">What the migrations established, after the last one (see <see cref="MigrationAnalyzer.Analyze"/>).</param>
    /// <param name="location">Where to report: the context or its snapshot.</param>
    /// <param name="judge">Judge each change with the PostgreSQL rules (false for another provider: the changes are only listed).</param>
    public static PendingModelChanges? Judge(string contextName, IReadOnlyList<SchemaChange> changes, AnalysisOptions options, SchemaHistory? history, SourceLocation? location, bool judge = true)
    {
        if (changes is null || changes.Count == 0)
        {
            return null;
        }

        // Each change gets a placeholder location so the findings can be given back to the change they are about.
        var located = changes.Select((change, i) => change with { Location = new SourceLocation(PendingFile, i + 1, 1) }).ToList();
        var migration = new MigrationDefinition("(pending model changes)", located) { DownState = DownState.Unknown };
        var findings = judge
            ? new MigrationAnalyzer(options with { BaselineMigrationId = null, CheckDown = false }).Analyze(migration, history)
            : Array.Empty<Finding>();
        var pending = changes.Select((change, i) => new PendingChange(
            change,
            findings.Where(f => f.Location is { FilePath: PendingFile } at && at.Line == i + 1).Select(f => f with { Location = null, MigrationId = string.Empty }).ToList())).ToList();

        var listed = string.Join("; ", pending.Take(Listed).Select(Describe)) + (pending.Count > Listed ? $"; and {pending.Count - Listed} more" : string.Empty);
        var unsafeCount = pending.Count(p => p.Worst == Severity.Error);
        var message = $"The model of {contextName} has {Count(pending.Count, "change")} no migration captures: {listed}. "
            + (unsafeCount > 0 ? $"{Count(unsafeCount, "of them is", "of them are")} unsafe as EF would scaffold {(unsafeCount == 1 ? "it" : "them")}. " + Remedy(contextName, changes, pending)
                               : $"Run 'dotnet safemig migrations add <Name> --context {contextName}' (plain 'dotnet ef migrations add' writes the same here: none of them needs a safe form) and commit the migration with the model change.");
        var severity = options.SeverityOf(GateRules.UncapturedModelChanges);
        return new PendingModelChanges(contextName, pending, new Finding(RuleIds.UncapturedModelChanges, severity, message, string.Empty, location));
    }

    /// <summary>What really fixes the unsafe changes: generation where it writes the safe form, each other one's own command.</summary>
    private static string Remedy(string contextName, IReadOnlyList<SchemaChange> changes, IReadOnlyList<PendingChange> pending)
    {
        // The findings Judge already made on each change say which recipes apply: no second analysis.
        var actions = SafeFormPlanner.PlanFromRules(changes, pending.Select(p => (IReadOnlyCollection<string>)p.Findings.Select(f => f.RuleId).ToList()).ToList());
        var generated = new HashSet<int>(actions.Select(a => a.Index));
        // A new NOT NULL column, or a column made required, without a default the model chose: generation asks for the
        // value its existing rows (or rows still holding NULL) get.
        var fills = string.Concat(actions.Select(a => SafeFormPlanner.ColumnNeedingFill(changes[a.Index], a) is { } column
            ? $" --fill \"{column}=<SQL for {(a.Kind == SafeFormKind.AddNullableThenSetNotNull ? "existing rows" : "rows that hold NULL")}>\""
            : string.Empty));
        var unsafeChanges = pending.Select((p, i) => (Change: p, Index: i)).Where(p => p.Change.Worst == Severity.Error).ToList();
        var parts = new List<string>();
        if (unsafeChanges.Any(p => generated.Contains(p.Index)))
        {
            parts.Add($"'dotnet safemig migrations add <Name> --context {contextName}{fills}' writes the safe form of "
                + string.Join(", ", unsafeChanges.Where(p => generated.Contains(p.Index)).Select(p => p.Change.Change.Describe())) + ".");
        }

        foreach (var (change, _) in unsafeChanges.Where(p => !generated.Contains(p.Index)))
        {
            var error = change.Findings.First(f => f.Severity == Severity.Error);
            parts.Add($"No safe form is generated for {change.Change.Describe()} ({error.RuleId}): "
                + (Remedies.For(error.RuleId, change.Change, contextName) is { } command ? command : $"scaffold it with 'dotnet ef migrations add <Name> --context {contextName}' and follow {error.RuleId}'s advice (dotnet safemig explain {error.RuleId})") + ".");
        }

        return string.Join(" ", parts);
    }

    private static string Describe(PendingChange change)
    {
        var rules = change.Findings.Where(f => f.Severity >= Severity.Warning).Select(f => f.RuleId + " " + f.Severity.ToString().ToLowerInvariant()).Distinct().ToList();
        return change.Change.Describe() + (rules.Count == 0 ? " (safe)" : " (" + string.Join(", ", rules) + ")");
    }

    private static string Count(int count, string singular, string? plural = null) =>
        count == 1 ? "1 " + singular : count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + (plural ?? singular + "s");
}
