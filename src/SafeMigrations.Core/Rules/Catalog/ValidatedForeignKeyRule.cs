using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1013: a foreign key validated at once scans the table while both tables are write-locked.</summary>
internal sealed class ValidatedForeignKeyRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.ValidatedForeignKey, "Add foreign keys NOT VALID, validate later", Severity.Error, RuleCategory.Locking,
        "ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY … NOT VALID in one migration, ALTER TABLE … VALIDATE CONSTRAINT in the next; index the column concurrently first.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is AddForeignKeyChange { NotValid: false } foreignKey
            && context.IsExistingTable(foreignKey.TableName, operation.Index))
        {
            yield return Report(context, foreignKey,
                $"Foreign key \"{foreignKey.Name}\" on existing table {foreignKey.TableName} is validated at once: every row is checked while the migration {Takes(LockCatalog.LockFor(foreignKey))} on {foreignKey.TableName} and {foreignKey.PrincipalTable}. Add it NOT VALID, then VALIDATE CONSTRAINT in a later migration (SHARE UPDATE EXCLUSIVE).",
                LockCatalog.LockFor(foreignKey));
        }
    }
}
