using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1014: a check constraint validated at once scans the table under ACCESS EXCLUSIVE.</summary>
internal sealed class ValidatedCheckConstraintRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.ValidatedCheckConstraint, "Add check constraints NOT VALID, validate later", Severity.Error, RuleCategory.Locking,
        "ALTER TABLE … ADD CONSTRAINT … CHECK (…) NOT VALID in one migration, ALTER TABLE … VALIDATE CONSTRAINT in the next.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        if (operation.Operation is AddCheckConstraintChange { NotValid: false } check
            && context.IsExistingTable(check.TableName, operation.Index))
        {
            yield return Report(context, check,
                $"Check constraint \"{check.Name}\" on existing table {check.TableName} is validated at once: every row is checked while it {Takes(LockCatalog.LockFor(check))}. Add it NOT VALID (Sql), then VALIDATE CONSTRAINT in a later migration.",
                LockCatalog.LockFor(check));
        }
    }
}
