using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1021: adding an identity or serial column fills every existing row, rewriting the table.</summary>
internal sealed class AddIdentityColumnRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.AddIdentityColumn, "Do not add identity or serial columns to existing tables", Severity.Error, RuleCategory.Locking,
        "Create a new table with the identity column, copy the rows in batches (with a trigger for new writes), then swap the tables.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is AddColumnChange add
            && context.IsExistingTable(add.TableName, operation.Index)
            && (add.Column.Identity != IdentityKind.None || StoreType.Parse(add.Column.StoreType) is { IsSerial: true }))
        {
            yield return Report(context, add,
                $"Identity/serial column \"{add.Column.Name}\" added to existing table {add.TableName} gets a value for every row: the table is rewritten while it {Takes(LockCatalog.LockFor(add))}. Create a new table and copy the rows instead.",
                LockCatalog.LockFor(add));
        }
    }
}
