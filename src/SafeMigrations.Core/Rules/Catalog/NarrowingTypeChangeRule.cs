using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1008: shortening a length limit, or adding one, scans every row under ACCESS EXCLUSIVE and can fail.</summary>
public sealed class NarrowingTypeChangeRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.NarrowingTypeChange, "Do not shorten or add length limits in place", Severity.Error, RuleCategory.Locking,
        "Keep the column as text (or its current length) and add CHECK (length(col) <= n) NOT VALID, then VALIDATE CONSTRAINT in a later migration.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is AlterColumnOperation alter
            && context.IsExistingTable(alter.TableName, operation.Index)
            && alter.IsKeyColumn != true
            && ColumnTypeChanges.Of(alter) == TypeChange.Narrowing)
        {
            yield return Report(context, alter,
                $"Narrowing column \"{alter.Column.Name}\" of existing table {alter.TableName} from {ColumnTypeChanges.Describe(alter)} checks (and rewrites) every row while it {Takes(LockLevel.AccessExclusive)}, and fails if a value is too long. Add CHECK (length(\"{alter.Column.Name}\") <= n) NOT VALID, then validate it.",
                LockLevel.AccessExclusive);
        }
    }
}
