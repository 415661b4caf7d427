using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Runner;

/// <summary>One count to run before a migration takes its locks; more than zero rows means it would fail (SM4002).</summary>
/// <param name="Problem">What the counted rows are and what to do, after "N …": "rows of users have NULL in email, which becomes NOT NULL: backfill them first".</param>
public sealed record Precheck(string Sql, TableName Table, string Problem);

/// <summary>
/// Does the data already satisfy what a migration is about to enforce? NULLs in a column about to become NOT NULL,
/// duplicates under a unique index or constraint, foreign keys pointing at nothing. Failing here costs a count;
/// failing in the ALTER costs a lock held through a full scan. Tables the migration creates itself are skipped,
/// and raw SQL is judged by its classified statements.
/// </summary>
public static class Prechecks
{
    public static IReadOnlyList<Precheck> For(MigrationDefinition migration)
    {
        if (migration is null)
        {
            return [];
        }

        var operations = MigrationAnalyzer.Expand(migration.UpOperations);
        var created = CreatedObjects.In(operations);
        var checks = new List<Precheck>();
        foreach (var analyzed in operations)
        {
            if (analyzed.Operation.Table is not { } table || !created.IsExistingTable(table, analyzed.Index))
            {
                continue;
            }

            switch (analyzed.Operation)
            {
                case AlterColumnChange alter when alter.Column.IsNullable == false && alter.Old?.IsNullable != false:
                    checks.Add(new Precheck(RunnerSql.NullCount(table.Schema, table.Name, alter.Column.Name), table,
                        $"rows of {table.Name} have NULL in {alter.Column.Name}, which becomes NOT NULL: backfill them first"));
                    break;
                case CreateIndexChange { IsUnique: true, Filter: null } index:
                    checks.Add(new Precheck(RunnerSql.DuplicateCount(table.Schema, table.Name, index.Columns), table,
                        $"groups of rows of {table.Name} share ({string.Join(", ", index.Columns)}), which the unique index {index.Name} forbids: remove the duplicates first"));
                    break;
                case AddUniqueConstraintChange { UsingIndex: null } unique when unique.Columns.Count > 0:
                    checks.Add(new Precheck(RunnerSql.DuplicateCount(table.Schema, table.Name, unique.Columns), table,
                        $"groups of rows of {table.Name} share ({string.Join(", ", unique.Columns)}), which the unique constraint {unique.Name} forbids: remove the duplicates first"));
                    break;
                case AddForeignKeyChange { NotValid: false } key when key.PrincipalColumns.Count == key.Columns.Count && key.Columns.Count > 0:
                    checks.Add(new Precheck(RunnerSql.OrphanCount(table.Schema, table.Name, key.Columns, key.PrincipalTable.Schema, key.PrincipalTable.Name, key.PrincipalColumns), table,
                        $"rows of {table.Name} point at no row of {key.PrincipalTable.Name} through ({string.Join(", ", key.Columns)}), which the foreign key {key.Name} forbids: repair or delete them first"));
                    break;
            }
        }

        return checks;
    }
}
