using System;
using System.Collections.Generic;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Analysis;

/// <summary>
/// A rule of the catalog. Most rules judge one operation at a time (<see cref="AnalyzeOperation"/>);
/// a few judge the migration as a whole (<see cref="AnalyzeMigration"/>).
/// </summary>
internal abstract class MigrationRule
{
    public abstract RuleDescriptor Descriptor { get; }

    /// <summary>
    /// Every finding of this rule on the migration. Never throws (but for cancellation): a rule that fails
    /// on odd input reports that one operation as not judged (SM0003) and judges the rest, so the other
    /// findings of the migration are never lost to one bad operation.
    /// </summary>
    public IReadOnlyList<Finding> Analyze(MigrationContext context)
    {
        var findings = new List<Finding>();
        RuleFailure.Guard(findings, () => AnalyzeMigration(context), e => RuleFailure.Report(Descriptor, context, operation: null, e));
        foreach (var operation in context.Operations)
        {
            RuleFailure.Guard(findings, () => AnalyzeOperation(context, operation), e => RuleFailure.Report(Descriptor, context, operation.Operation, e));
        }

        return findings;
    }

    /// <summary>Findings about the migration as a whole (operations in relation to each other).</summary>
    protected virtual IEnumerable<Finding> AnalyzeMigration(MigrationContext context) => [];

    protected virtual IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation) => [];

    protected Finding Report(MigrationContext context, SchemaChange operation, string message, LockLevel lockLevel = LockLevel.None) =>
        context.CreateFinding(Descriptor, message, operation, lockLevel);

    /// <summary>"takes ACCESS EXCLUSIVE (blocks reads and writes)".</summary>
    protected static string Takes(LockLevel level) => "takes " + level.SqlName() + " (" + level.Effect() + ")";
}
