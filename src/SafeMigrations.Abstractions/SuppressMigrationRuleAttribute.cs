using System;

namespace SafeMigrations;

/// <summary>
/// Accepts a SafeMigrations finding for this migration, with the reason why. The analyzers honour it
/// (through SafeMigrations.Core, which every later front end shares); without a justification it is
/// not applied (SM0001), and one that suppresses nothing is reported (SM0002).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SuppressMigrationRuleAttribute : Attribute
{
    public SuppressMigrationRuleAttribute(string ruleId)
    {
        RuleId = ruleId;
    }

    /// <summary>The rule id, e.g. "SM1011".</summary>
    public string RuleId { get; }

    /// <summary>Why the finding is acceptable here, e.g. "column unmapped since release 4.2".</summary>
    public string? Justification { get; set; }
}
