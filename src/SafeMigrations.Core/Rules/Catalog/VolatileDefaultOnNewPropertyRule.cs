using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM2011: a new property of an existing entity whose default SQL is volatile: the next migration's AddColumn rewrites the table.</summary>
internal sealed class VolatileDefaultOnNewPropertyRule : ModelRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.VolatileDefaultOnNewProperty, "Do not add properties whose default must be computed for every row", Severity.Warning, RuleCategory.Locking,
        "Keep HasDefaultValueSql in the model, but edit the scaffolded AddColumn: add the column without the default, SET DEFAULT for new rows, and backfill existing rows in batches (SM1005's recipe).");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeModel(ModelComparison comparison)
    {
        foreach (var entity in comparison.Matched)
        {
            foreach (var property in entity.Added)
            {
                var functions = FunctionVolatility.VolatileFunctions(property.DefaultValueSql).ToList();
                if (functions.Count > 0)
                {
                    yield return Report(comparison,
                        $"{entity.Current.DisplayName}.{property.Name} is new with the default {property.DefaultValueSql} ({string.Join(", ", functions)} is volatile): the next migration adds the column to existing table {TableOf(entity.Snapshot)} with it, and PostgreSQL computes it for every row, rewriting the table under ACCESS EXCLUSIVE (SM1005). Add the column without the default, SET DEFAULT for new rows, and backfill in batches.",
                        property.DefaultValueSqlLocation ?? property.Location ?? entity.Current.Location, entity.Snapshot.TableName);
                }
            }
        }
    }
}
