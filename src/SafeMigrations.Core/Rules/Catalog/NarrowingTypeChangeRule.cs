using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1008: shortening a length limit, or adding one, scans every row under ACCESS EXCLUSIVE and can fail.</summary>
internal sealed class NarrowingTypeChangeRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.NarrowingTypeChange, "Do not shorten or add length limits in place", Severity.Error, RuleCategory.Locking,
        "Keep the column's type and add CHECK (char_length(col) <= n) NOT VALID, then VALIDATE CONSTRAINT in a later migration.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is AlterColumnChange alter
            && context.IsExistingTable(alter.TableName, operation.Index)
            && alter.IsKeyColumn != true
            && ColumnTypeChanges.Of(alter) == TypeChange.Narrowing)
        {
            var limit = StoreType.Parse(alter.Column.StoreType)?.Length ?? alter.Column.MaxLength;
            var n = limit is { } known ? known.ToString(System.Globalization.CultureInfo.InvariantCulture) : "n";
            yield return Report(context, alter,
                $"Narrowing column \"{alter.Column.Name}\" of existing table {alter.TableName} from {ColumnTypeChanges.Describe(alter)} rewrites the table while it {Takes(LockCatalog.LockFor(alter))}, and fails on a longer value. Keep the type and add CHECK (char_length(\"{alter.Column.Name}\") <= {n}) NOT VALID, then validate it in a later migration.",
                LockCatalog.LockFor(alter));
        }
    }
}
