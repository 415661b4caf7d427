using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace SafeMigrations.Design;

/// <summary>
/// Names a migration after what it does, in the model's words: AddTodoItemPriority, RemoveUserNickname,
/// AddTag, ChangeTodoItemTitle. The first change that is not a supporting index or key names it.
/// </summary>
internal static class MigrationNamer
{
    public static string Name(IReadOnlyList<MigrationOperation> operations, IModel model)
    {
        var primary = operations.Where(o => o is not (CreateIndexOperation or AddForeignKeyOperation or AddPrimaryKeyOperation or DropIndexOperation or DropForeignKeyOperation))
            .DefaultIfEmpty(operations.Count > 0 ? operations[0] : null)
            .ToList();
        if (primary.Count == 0 || primary[0] is null)
        {
            return "EmptyMigration";
        }

        var first = primary[0]!;
        var sameKind = primary.Where(o => o!.GetType() == first.GetType() && Table(o) == Table(first)).ToList();
        var name = first switch
        {
            AddColumnOperation add => "Add" + Entity(model, add.Table, add.Schema) + Properties(model, sameKind.Cast<AddColumnOperation>().Select(c => (c.Table, c.Schema, c.Name))),
            DropColumnOperation drop => "Remove" + Entity(model, drop.Table, drop.Schema) + string.Concat(sameKind.Cast<DropColumnOperation>().Take(3).Select(c => Pascal(c.Name))),
            AlterColumnOperation alter => "Change" + Entity(model, alter.Table, alter.Schema) + Properties(model, sameKind.Cast<AlterColumnOperation>().Select(c => (c.Table, c.Schema, c.Name))),
            RenameColumnOperation rename => "Rename" + Entity(model, rename.Table, rename.Schema) + Pascal(rename.Name) + "To" + Pascal(rename.NewName),
            CreateTableOperation create => "Add" + Entity(model, create.Name, create.Schema),
            DropTableOperation drop => "Remove" + Pascal(drop.Name),
            RenameTableOperation rename => "Rename" + Pascal(rename.Name) + "To" + Pascal(rename.NewName ?? rename.Name),
            CreateIndexOperation index => "Add" + Entity(model, index.Table, index.Schema) + string.Concat(index.Columns.Select(Pascal)) + "Index",
            DropIndexOperation index => "Remove" + Pascal(index.Name),
            AddForeignKeyOperation key => "Add" + Entity(model, key.Table, key.Schema) + Pascal(key.PrincipalTable) + "ForeignKey",
            AddCheckConstraintOperation check => "Add" + Pascal(check.Name),
            _ => Pascal(first.GetType().Name.Replace("Operation", string.Empty, StringComparison.Ordinal)),
        };
        return primary.Count > sameKind.Count ? name + "AndMore" : name;
    }

    private static string? Table(MigrationOperation? operation) => operation switch
    {
        ColumnOperation column => column.Table,
        DropColumnOperation drop => drop.Table,
        RenameColumnOperation rename => rename.Table,
        TableOperation table => table.Name,
        _ => null,
    };

    private static string Entity(IModel model, string table, string? schema) =>
        model.GetEntityTypes().FirstOrDefault(e => e.GetTableName() == table && (schema is null || e.GetSchema() == schema) && !e.IsOwned()) is { } entity
            ? Pascal(entity.ClrType.Name)
            : Pascal(table);

    private static string Properties(IModel model, IEnumerable<(string Table, string? Schema, string Column)> columns) =>
        string.Concat(columns.Take(3).Select(c =>
        {
            var property = model.GetEntityTypes()
                .Where(e => e.GetTableName() == c.Table)
                .SelectMany(e => e.GetProperties())
                .FirstOrDefault(p => p.GetColumnName() == c.Column);
            return Pascal(property?.Name ?? c.Column);
        }));

    /// <summary>An identifier as a C# class-name part: "IX_products_Name" becomes "IXProductsName".</summary>
    public static string Pascal(string text)
    {
        var builder = new StringBuilder();
        var upper = true;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        return builder.Length == 0 || char.IsDigit(builder[0]) ? "M" + builder : builder.ToString();
    }
}
