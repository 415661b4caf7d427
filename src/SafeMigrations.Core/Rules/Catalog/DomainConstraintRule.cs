using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1028: constraints on domains are checked against every column of the domain, under heavy locks.</summary>
public sealed class DomainConstraintRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.DomainConstraint, "Put check constraints on tables, not domains", Severity.Warning, RuleCategory.Locking,
        "Use the base type plus a table CHECK constraint (NOT VALID, then VALIDATE) on each column.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is DomainConstraintOperation domain)
        {
            yield return Report(context, domain,
                $"{domain.Describe()}: changing a domain's constraint later re-checks every column of every table using it, and cannot be done NOT VALID safely across tables. Use the base type with table CHECK constraints.");
        }
    }
}
