using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1016: adding a primary key to an existing table builds its index under ACCESS EXCLUSIVE.</summary>
internal sealed class AddPrimaryKeyRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.AddPrimaryKey, "Add primary keys using a concurrently built index", Severity.Error, RuleCategory.Locking,
        "Build a unique index concurrently, make the columns NOT NULL through validated checks (SM1007), then ADD CONSTRAINT … PRIMARY KEY USING INDEX.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is AddPrimaryKeyChange { UsingIndex: null } key && context.IsExistingTable(key.TableName, operation.Index))
        {
            yield return Report(context, key,
                $"Primary key \"{key.Name}\" on existing table {key.TableName} builds a unique index (and sets its columns NOT NULL with a scan) while it {Takes(LockCatalog.LockFor(key))}. Build the unique index concurrently, then ADD CONSTRAINT … PRIMARY KEY USING INDEX.",
                LockCatalog.LockFor(key));
        }
    }
}
