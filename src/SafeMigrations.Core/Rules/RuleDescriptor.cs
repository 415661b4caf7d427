namespace SafeMigrations.Core.Rules;

public enum RuleCategory
{
    /// <summary>Locks that block the application, table rewrites and scans.</summary>
    Locking,

    /// <summary>Data that is lost or silently changed.</summary>
    DataLoss,

    /// <summary>Instances still running the previous release break.</summary>
    Compatibility,

    /// <summary>Transaction handling and partial application.</summary>
    Transactions,

    /// <summary>Schema design choices that are hard to undo later.</summary>
    Design,

    /// <summary>The tool's own configuration (suppressions).</summary>
    Configuration,
}

/// <summary>A rule's identity: id (a contract, never reused), title, default severity, safe recipe.</summary>
public sealed record RuleDescriptor(string Id, string Title, Severity DefaultSeverity, RuleCategory Category, string SafeRecipe)
{
    /// <summary>Where the rule is documented: docs/rules/&lt;id&gt;.md in the repository.</summary>
    public string HelpUri => RuleIds.HelpUri(Id);
}
