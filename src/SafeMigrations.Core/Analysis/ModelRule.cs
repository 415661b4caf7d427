using System.Collections.Generic;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Analysis;

/// <summary>
/// A model rule (SM2xxx): judges the difference between the ModelSnapshot and the entity classes,
/// before any migration exists, and reports on the entity member (or the class, or the DbContext).
/// </summary>
internal abstract class ModelRule
{
    public abstract RuleDescriptor Descriptor { get; }

    /// <summary>Every finding of this rule. Never throws (but for cancellation): a failure becomes one SM0003 finding.</summary>
    public IReadOnlyList<Finding> Analyze(ModelComparison comparison)
    {
        var findings = new List<Finding>();
        RuleFailure.Guard(findings, () => AnalyzeModel(comparison), e => RuleFailure.Report(Descriptor, comparison, e));
        return findings;
    }

    protected abstract IEnumerable<Finding> AnalyzeModel(ModelComparison comparison);

    protected Finding Report(ModelComparison comparison, string message, SourceLocation? location, string? table = null) =>
        new(Descriptor.Id, Descriptor.DefaultSeverity, message, comparison.Current.ContextName, location ?? comparison.Current.ContextLocation)
        {
            Table = table is null ? null : new TableName(table),
        };

    /// <summary>"todo_items" or "the table of TodoItem" when the snapshot does not name it.</summary>
    protected static string TableOf(EntityShape entity) =>
        entity.TableName is { } name ? "\"" + name + "\"" : "the table of " + entity.DisplayName;

    protected static string ColumnOf(PropertyShape property) => "\"" + (property.ColumnName ?? property.Name) + "\"";
}
