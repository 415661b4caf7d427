using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;
using SafeMigrations.Core.Sql;

namespace SafeMigrations.Core.Analysis;

/// <summary>
/// Judges migrations: splits raw SQL into statements, runs every rule, applies suppressions,
/// severities and the baseline. Analyze a whole history in order with <see cref="AnalyzeAll"/> so
/// multi-migration recipes (NOT VALID, then VALIDATE, then SET NOT NULL) are recognised.
/// </summary>
public sealed class MigrationAnalyzer
{
    private readonly IReadOnlyList<MigrationRule> rules;

    public MigrationAnalyzer(AnalysisOptions? options = null)
        : this(options, rules: null)
    {
    }

    internal MigrationAnalyzer(AnalysisOptions? options, IReadOnlyList<MigrationRule>? rules)
    {
        Options = options ?? AnalysisOptions.Default;
        this.rules = rules ?? RuleCatalog.MigrationRules;
    }

    public AnalysisOptions Options { get; }

    /// <summary>Judges migrations in order (sorted by id, as EF applies them), carrying facts from each to the next.</summary>
    public IReadOnlyList<Finding> AnalyzeAll(IEnumerable<MigrationDefinition> migrations)
    {
        var history = new SchemaHistory();
        var findings = new List<Finding>();
        foreach (var migration in migrations.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            findings.AddRange(Analyze(migration, history));
        }

        return findings;
    }

    /// <summary>Judges one migration; <paramref name="history"/> holds what earlier migrations established and is updated.</summary>
    public IReadOnlyList<Finding> Analyze(MigrationDefinition migration, SchemaHistory? history = null)
    {
        if (migration is null)
        {
            throw new ArgumentNullException(nameof(migration));
        }

        history ??= new SchemaHistory();
        var up = Expand(migration.UpOperations);
        if (Options.IsBeforeBaseline(migration.Id))
        {
            Remember(history, up);
            return [];
        }

        var findings = new List<Finding>();
        findings.AddRange(Run(new MigrationContext(migration, migration.UpOperations, up, Options, history)));
        if (Options.CheckDown && migration.DownOperations.Count > 0)
        {
            var down = Expand(migration.DownOperations);
            var downMigration = migration with { UpOperations = migration.DownOperations, DownState = DownState.Unknown };
            findings.AddRange(Run(new MigrationContext(downMigration, migration.DownOperations, down, Options, new SchemaHistory())));
        }

        Remember(history, up);
        return ApplySuppressions(migration, findings);
    }

    /// <summary>Splits Sql calls into classified statements; everything else passes through.</summary>
    internal static IReadOnlyList<AnalyzedOperation> Expand(IReadOnlyList<SchemaChange> operations)
    {
        var expanded = new List<AnalyzedOperation>();
        foreach (var operation in operations)
        {
            if (operation is RawSqlChange sql)
            {
                var statements = sql.IsKnown
                    ? Classify(sql)
                    : [new UnanalyzableSqlChange("(SQL built at run time)", "not a compile-time constant") { Location = sql.Location }];
                foreach (var statement in statements)
                {
                    expanded.Add(new AnalyzedOperation(statement, sql, expanded.Count));
                }
            }
            else
            {
                expanded.Add(new AnalyzedOperation(operation, operation, expanded.Count));
            }
        }

        return expanded;
    }

    // The classifier is written never to throw; should it still fail on some input, that SQL is reported
    // as unanalyzable (SM1018) rather than losing the migration's other findings.
    private static IReadOnlyList<SchemaChange> Classify(RawSqlChange sql)
    {
        try
        {
            return SqlStatementClassifier.Classify(sql.Sql, sql.Location, insideTransaction: !sql.SuppressTransaction);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return [new UnanalyzableSqlChange(sql.Sql, "the classifier failed: " + e.GetType().Name) { Location = sql.Location }];
        }
    }

    private IEnumerable<Finding> Run(MigrationContext context)
    {
        foreach (var rule in rules)
        {
            var configured = Options.Severities.TryGetValue(rule.Descriptor.Id, out var severity) ? severity : (Severity?)null;
            if (configured == Severity.None)
            {
                continue;
            }

            foreach (var finding in rule.Analyze(context))
            {
                yield return configured is { } chosen ? finding with { Severity = chosen } : finding;
            }
        }
    }

    private static void Remember(SchemaHistory history, IReadOnlyList<AnalyzedOperation> operations)
    {
        foreach (var operation in operations)
        {
            history.Apply(operation.Operation);
        }
    }

    private IReadOnlyList<Finding> ApplySuppressions(MigrationDefinition migration, List<Finding> findings)
    {
        var result = new List<Finding>(findings);
        foreach (var suppression in migration.Suppressions)
        {
            var location = suppression.Location ?? migration.Location;
            if (!suppression.IsJustified)
            {
                result.Add(Configured(new Finding(
                    RuleIds.SuppressionWithoutJustification, SuppressionRules.WithoutJustification.DefaultSeverity,
                    $"The suppression of {suppression.RuleId} in migration {migration.Id} has no justification (or still the code fix's placeholder), so it is not applied. Say why the finding is acceptable here.",
                    migration.Id, location)));
                continue;
            }

            var removed = result.RemoveAll(f => string.Equals(f.RuleId, suppression.RuleId, StringComparison.OrdinalIgnoreCase) && !f.RuleId.StartsWith("SM0", StringComparison.Ordinal));
            // The build gate's checks (SM3xxx) are judged outside this analysis: their suppressions are applied there.
            if (removed == 0 && !IsGateRule(suppression.RuleId))
            {
                result.Add(Configured(new Finding(
                    RuleIds.UnusedSuppression, SuppressionRules.Unused.DefaultSeverity,
                    $"The suppression of {suppression.RuleId} in migration {migration.Id} suppresses nothing: remove it.",
                    migration.Id, location)));
            }
        }

        return result.Where(f => f.Severity != Severity.None).ToList();
    }

    /// <summary>Whether a rule is the build gate's (SM3xxx), whose findings this analysis never produces.</summary>
    internal static bool IsGateRule(string ruleId) => ruleId is not null && ruleId.StartsWith("SM3", StringComparison.OrdinalIgnoreCase);

    private Finding Configured(Finding finding) =>
        Options.Severities.TryGetValue(finding.RuleId, out var severity) ? finding with { Severity = severity } : finding;
}
