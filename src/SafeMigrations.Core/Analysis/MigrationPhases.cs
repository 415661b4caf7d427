using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Analysis;

/// <summary>
/// Expand or contract, decided once for every front end (the runner's phases, the gate's previous-release check,
/// the reports): a migration is the contract step when it is marked [ContractMigration] or when it removes or
/// tightens something the previous release uses. Raw SQL is judged by its classified statements.
/// </summary>
public static class MigrationPhases
{
    public static MigrationPhase Of(MigrationDefinition migration) =>
        migration is not null && (migration.IsContractStep || ContractChanges(migration).Any()) ? MigrationPhase.Contract : MigrationPhase.Expand;

    /// <summary>
    /// The changes that remove or tighten what the previous release uses: a table, column or schema dropped or
    /// renamed, a column made NOT NULL, a NOT NULL column without a default added to a table it inserts into.
    /// </summary>
    public static IEnumerable<SchemaChange> ContractChanges(MigrationDefinition migration)
    {
        if (migration is null)
        {
            yield break;
        }

        var operations = MigrationAnalyzer.Expand(migration.UpOperations);
        var created = CreatedObjects.In(operations);
        foreach (var analyzed in operations)
        {
            var contract = analyzed.Operation switch
            {
                DropTableChange or RenameTableChange or DropColumnChange or RenameColumnChange => true,
                SchemaNamespaceChange { Action: SchemaObjectAction.Drop or SchemaObjectAction.Rename } => true,
                AlterColumnChange alter => alter.Column.IsNullable == false && alter.Old?.IsNullable != false && created.IsExistingTable(alter.TableName, analyzed.Index),
                AddColumnChange add => add.Column.IsNullable == false && !add.Column.HasAnyDefault && add.Column.Identity == IdentityKind.None
                    && add.Column.ComputedColumnSql is null && created.IsExistingTable(add.TableName, analyzed.Index),
                _ => false,
            };
            if (contract)
            {
                yield return analyzed.Operation;
            }
        }
    }

    /// <summary>
    /// Whether the migration may change what the previous release reads or writes: a contract change, or raw SQL
    /// the classifier cannot read. Only such a migration needs the previous release's model compared (SM3005).
    /// </summary>
    public static bool MayAffectPreviousRelease(MigrationDefinition migration) =>
        migration is not null
        && (ContractChanges(migration).Any() || MigrationAnalyzer.Expand(migration.UpOperations).Any(o => o.Operation is UnanalyzableSqlChange));
}
