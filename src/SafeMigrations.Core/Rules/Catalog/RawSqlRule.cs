using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>
/// SM1018: raw SQL is split and each statement judged by the other rules; what cannot be analyzed
/// (dynamic SQL, DO blocks, unknown statements) is reported once per Sql call as information.
/// </summary>
internal sealed class RawSqlRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.RawSql, "Raw SQL that cannot be analyzed", Severity.Info, RuleCategory.Locking,
        "Prefer MigrationBuilder operations or plain DDL statements the analyzer understands; review the statement by hand and suppress with a justification.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeMigration(MigrationContext context)
    {
        var reported = new HashSet<SchemaChange>();
        foreach (var analyzed in context.Operations)
        {
            if (analyzed.Operation is UnanalyzableSqlChange unanalyzable && reported.Add(analyzed.TopLevel))
            {
                yield return Report(context, unanalyzable,
                    $"This Sql call contains SQL that cannot be analyzed ({unanalyzable.Reason}): {unanalyzable.Describe()}. Review its locks by hand.");
            }
        }
    }
}
