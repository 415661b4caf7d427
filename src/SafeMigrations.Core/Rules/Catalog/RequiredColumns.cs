using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>What SM1004 and SM1032 share about a NOT NULL column added to an existing table.</summary>
internal static class RequiredColumns
{
    /// <summary>A NOT NULL column on an existing table whose value PostgreSQL must supply for every existing row.</summary>
    public static bool IsFilledForExistingRows(MigrationContext context, AnalyzedOperation operation, AddColumnChange add) =>
        add.Column.IsNullable == false
        && context.IsExistingTable(add.TableName, operation.Index)
        && add.Column.ComputedColumnSql is null
        && add.Column.Identity == IdentityKind.None;

    /// <summary>A key, unique index or foreign key added later in the migration over the column, which one value in every row breaks.</summary>
    public static string? ConstraintThatFails(MigrationContext context, int afterIndex, AddColumnChange add)
    {
        bool Covers(TableName table, IReadOnlyList<string> columns) => table == add.TableName && columns.Contains(add.Column.Name);
        foreach (var later in context.Operations.Where(o => o.Index > afterIndex).Select(o => o.Operation))
        {
            switch (later)
            {
                case AddForeignKeyChange { NotValid: false } foreignKey when Covers(foreignKey.TableName, foreignKey.Columns):
                    return $"foreign key \"{foreignKey.Name}\" (to {foreignKey.PrincipalTable}, which must then have a row with that key)";
                case CreateIndexChange { IsUnique: true, Filter: null } index when Covers(index.TableName, index.Columns) && index.Columns.Count == 1:
                    return $"unique index \"{index.Name}\" (two rows with the same value)";
                case AddUniqueConstraintChange unique when Covers(unique.TableName, unique.Columns) && unique.Columns.Count == 1:
                    return $"unique constraint \"{unique.Name}\" (two rows with the same value)";
                case AddPrimaryKeyChange key when Covers(key.TableName, key.Columns) && key.Columns.Count == 1:
                    return $"primary key \"{key.Name}\" (two rows with the same value)";
            }
        }

        return null;
    }
}
