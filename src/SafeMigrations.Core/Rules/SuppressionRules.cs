namespace SafeMigrations.Core.Rules;

/// <summary>SM0001, SM0002, SM0004 and SM0005: the engine and the analyzers check suppressions and bindings themselves; these are their descriptors.</summary>
public static class SuppressionRules
{
    public static readonly RuleDescriptor WithoutJustification = new(
        RuleIds.SuppressionWithoutJustification, "Suppressions need a justification", Severity.Error, RuleCategory.Configuration,
        "State why the finding is acceptable here, e.g. Justification = \"table has under 1,000 rows\".");

    public static readonly RuleDescriptor MissingPackage = new(
        RuleIds.SuppressionAttributeNotFound, "Suppressions need the SafeMigrations.Abstractions package", Severity.Warning, RuleCategory.Configuration,
        "Add the package (dotnet add package SafeMigrations.Abstractions) and `using SafeMigrations;` to the migration.");

    public static readonly RuleDescriptor UnknownContext = new(
        RuleIds.UnknownMigrationContext, "A migration's [DbContext] names a context of the project", Severity.Warning, RuleCategory.Configuration,
        "Name one of the project's DbContext types in [DbContext(typeof(…))] (namespace-qualified unless it is in the migration's namespace or a parent of it), or add the missing using.");

    public static readonly RuleDescriptor Unused = new(
        RuleIds.UnusedSuppression, "Remove suppressions that suppress nothing", Severity.Warning, RuleCategory.Configuration,
        "Delete the suppression; the rule no longer reports anything in this migration.");
}
