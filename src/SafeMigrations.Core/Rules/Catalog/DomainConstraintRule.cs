using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1028: constraints on domains are checked against every column of the domain, under heavy locks.</summary>
internal sealed class DomainConstraintRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.DomainConstraint, "Put check constraints on tables, not domains", Severity.Error, RuleCategory.Locking,
        "Use the base type with a CHECK constraint on each table column: NOT VALID, then VALIDATE CONSTRAINT in a later migration (a domain's own validation blocks writes to every table using it).");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is not DomainConstraintChange domain)
        {
            yield break;
        }

        if (domain.IsNewDomain)
        {
            yield return Report(context, domain,
                $"{domain.Describe()}: a new domain blocks nobody, but every later change to its constraint re-checks every column of every table that uses it. Prefer the base type with table CHECK constraints.") with
            {
                Severity = Severity.Warning,
            };
        }
        else if (domain.IsValidation || !domain.NotValid)
        {
            yield return Report(context, domain,
                $"{domain.Describe()} checks every value of every column that uses the domain while it holds SHARE (blocks writes) on each of their tables, and fails on the first value that violates it; a domain's validation cannot avoid that lock. Put the check on the tables instead: ADD CONSTRAINT … CHECK … NOT VALID, then VALIDATE CONSTRAINT in a later migration.",
                LockCatalog.LockFor(domain));
        }
    }
}
