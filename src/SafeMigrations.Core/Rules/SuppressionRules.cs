namespace SafeMigrations.Core.Rules;

/// <summary>SM0001 and SM0002: the engine checks suppressions themselves; these are their descriptors.</summary>
public static class SuppressionRules
{
    public static readonly RuleDescriptor WithoutJustification = new(
        RuleIds.SuppressionWithoutJustification, "Suppressions need a justification", Severity.Error, RuleCategory.Configuration,
        "State why the finding is acceptable here, e.g. Justification = \"table has under 1,000 rows\".");

    public static readonly RuleDescriptor Unused = new(
        RuleIds.UnusedSuppression, "Remove suppressions that suppress nothing", Severity.Warning, RuleCategory.Configuration,
        "Delete the suppression; the rule no longer reports anything in this migration.");
}
