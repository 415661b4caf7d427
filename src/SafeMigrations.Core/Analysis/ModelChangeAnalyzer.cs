using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Analysis;

/// <summary>
/// Judges the change from the ModelSnapshot to the current entity model (SM2xxx) before a
/// migration exists. Both models come from a front end (today the Roslyn analyzer, from syntax),
/// so the rules are heuristics: fluent configuration a front end cannot see may explain a difference.
/// </summary>
public sealed class ModelChangeAnalyzer
{
    private readonly IReadOnlyList<ModelRule> rules;

    public ModelChangeAnalyzer(AnalysisOptions? options = null)
        : this(options, rules: null)
    {
    }

    internal ModelChangeAnalyzer(AnalysisOptions? options, IReadOnlyList<ModelRule>? rules)
    {
        Options = options ?? AnalysisOptions.Default;
        this.rules = rules ?? RuleCatalog.ModelRules;
    }

    public AnalysisOptions Options { get; }

    public IReadOnlyList<Finding> Analyze(EntityModel snapshot, EntityModel current)
    {
        var comparison = new ModelComparison(snapshot ?? throw new ArgumentNullException(nameof(snapshot)), current ?? throw new ArgumentNullException(nameof(current)));
        var findings = new List<Finding>();
        foreach (var rule in rules)
        {
            // A configured severity replaces the rule's; otherwise each finding keeps its own (a rule may report lower than its default).
            var configured = Options.Severities.TryGetValue(rule.Descriptor.Id, out var severity) ? severity : (Severity?)null;
            if (configured == Severity.None)
            {
                continue;
            }

            findings.AddRange(rule.Analyze(comparison).Select(f => configured is { } chosen ? f with { Severity = chosen } : f));
        }

        return findings;
    }
}
