using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.EntityFramework;
using SafeMigrations.Core.Model;

namespace SafeMigrations.EntityFrameworkCore;

/// <summary>
/// Maps EF Core's real migration operations onto Core's schema changes, as the analyzers map
/// MigrationBuilder calls, so the same rules judge both. What the operations do not say (which columns are
/// keys, whether a default was configured or filled in by EF's differ) comes from the target model, through
/// Core's <see cref="TargetModelCompletion"/>, in <see cref="EfMigrationReader"/>.
/// </summary>
internal static class EfOperationMapper
{
    public static IReadOnlyList<SchemaChange> Map(MigrationOperation operation, SourceLocation? location)
    {
        var changes = operation switch
        {
            AlterDatabaseOperation database => AlterDatabase(database),
            _ => MapOne(operation) is { } change ? [change] : [],
        };
        return changes.Select(c => c with { Location = location }).ToList();
    }

    private static SchemaChange? MapOne(MigrationOperation operation) => operation switch
    {
        CreateTableOperation create => CreateTable(create),
        DropTableOperation drop => new DropTableChange(Table(drop.Name, drop.Schema)),
        RenameTableOperation rename => new RenameTableChange(Table(rename.Name, rename.Schema), Table(rename.NewName ?? rename.Name, rename.NewSchema ?? rename.Schema)),
        AddColumnOperation add => new AddColumnChange(Table(add.Table, add.Schema), Column(add)),
        DropColumnOperation drop => new DropColumnChange(Table(drop.Table, drop.Schema), drop.Name),
        RenameColumnOperation rename => new RenameColumnChange(Table(rename.Table, rename.Schema), rename.Name, rename.NewName),
        AlterColumnOperation alter => new AlterColumnChange(Table(alter.Table, alter.Schema), Column(alter, spellClrType: true), Column(alter.OldColumn, spellClrType: true, old: true) with { Name = alter.Name }),
        CreateIndexOperation index => new CreateIndexChange(index.Name, Table(index.Table, index.Schema), index.Columns)
        {
            IsUnique = index.IsUnique,
            Filter = index.Filter,
            Concurrently = NpgsqlAnnotations.IsTrue(index[NpgsqlAnnotations.CreatedConcurrently]),
        },
        DropIndexOperation drop => new DropIndexChange(drop.Name, drop.Table is null ? null : Table(drop.Table, drop.Schema)),
        RenameIndexOperation rename => new RenameIndexChange(rename.Name, rename.NewName, rename.Table is null ? null : Table(rename.Table, rename.Schema)),
        AddPrimaryKeyOperation key => new AddPrimaryKeyChange(key.Name, Table(key.Table, key.Schema), key.Columns),
        AddUniqueConstraintOperation unique => new AddUniqueConstraintChange(unique.Name, Table(unique.Table, unique.Schema), unique.Columns),
        AddForeignKeyOperation foreignKey => ForeignKey(foreignKey),
        AddCheckConstraintOperation check => new AddCheckConstraintChange(check.Name, Table(check.Table, check.Schema), check.Sql),
        DropPrimaryKeyOperation drop => new DropConstraintChange(drop.Name, Table(drop.Table, drop.Schema), ConstraintKind.PrimaryKey),
        DropUniqueConstraintOperation drop => new DropConstraintChange(drop.Name, Table(drop.Table, drop.Schema), ConstraintKind.Unique),
        DropForeignKeyOperation drop => new DropConstraintChange(drop.Name, Table(drop.Table, drop.Schema), ConstraintKind.ForeignKey),
        DropCheckConstraintOperation drop => new DropConstraintChange(drop.Name, Table(drop.Table, drop.Schema), ConstraintKind.Check),
        EnsureSchemaOperation schema => new SchemaNamespaceChange(SchemaObjectAction.Create, schema.Name),
        DropSchemaOperation schema => new SchemaNamespaceChange(SchemaObjectAction.Drop, schema.Name),
        CreateSequenceOperation sequence => new SequenceChange(SchemaObjectAction.Create, Table(sequence.Name, sequence.Schema)),
        DropSequenceOperation sequence => new SequenceChange(SchemaObjectAction.Drop, Table(sequence.Name, sequence.Schema)),
        AlterSequenceOperation sequence => new SequenceChange(SchemaObjectAction.Alter, Table(sequence.Name, sequence.Schema)),
        RestartSequenceOperation sequence => new SequenceChange(SchemaObjectAction.Alter, Table(sequence.Name, sequence.Schema)),
        RenameSequenceOperation sequence => new SequenceChange(SchemaObjectAction.Rename, Table(sequence.Name, sequence.Schema)),
        InsertDataOperation insert => new DataChange(DataChangeKind.Insert, Table(insert.Table, insert.Schema)),
        UpdateDataOperation update => new DataChange(DataChangeKind.Update, Table(update.Table, update.Schema)) { HasWhereClause = true },
        DeleteDataOperation delete => new DataChange(DataChangeKind.Delete, Table(delete.Table, delete.Schema)) { HasWhereClause = true },
        SqlOperation sql => new RawSqlChange(sql.Sql) { SuppressTransaction = sql.SuppressTransaction },
        AlterTableOperation => new OtherStatementChange("AlterTable", ChangesSchema: true),
        _ => null,
    };

    private static TableName Table(string name, string? schema) => new(name, schema);

    private static CreateTableChange CreateTable(CreateTableOperation create)
    {
        var table = Table(create.Name, create.Schema);
        var constraints = new List<string>();
        if (create.PrimaryKey?.Name is { } primaryKeyName)
        {
            constraints.Add(primaryKeyName);
        }

        constraints.AddRange(create.ForeignKeys.Select(f => f.Name));
        constraints.AddRange(create.UniqueConstraints.Select(u => u.Name));
        constraints.AddRange(create.CheckConstraints.Select(c => c.Name));
        return new CreateTableChange(table, create.Columns.Select(c => Column(c)).ToList())
        {
            PrimaryKeyColumns = create.PrimaryKey?.Columns ?? [],
            PrimaryKeyName = create.PrimaryKey?.Name,
            ForeignKeys = create.ForeignKeys.Select(ForeignKey).ToList(),
            ConstraintNames = constraints,
        };
    }

    private static AddForeignKeyChange ForeignKey(AddForeignKeyOperation foreignKey) =>
        new(foreignKey.Name, Table(foreignKey.Table, foreignKey.Schema), foreignKey.Columns, Table(foreignKey.PrincipalTable, foreignKey.PrincipalSchema))
        {
            PrincipalColumns = foreignKey.PrincipalColumns ?? [],
            OnDelete = Action(foreignKey.OnDelete),
            OnUpdate = Action(foreignKey.OnUpdate),
        };

    // Same members in the same order; mapped by name so a reordering in EF could not silently shift them.
    private static ForeignKeyAction Action(ReferentialAction action) =>
        Enum.TryParse<ForeignKeyAction>(action.ToString(), out var mapped) ? mapped : ForeignKeyAction.NoAction;

    private static ColumnDefinition Column(ColumnOperation column, bool spellClrType = false, bool old = false)
    {
        var isClrDefault = !old && column.DefaultValue is not null && ClrDefaults.IsClrDefault(column.DefaultValue);
        return new ColumnDefinition(column.Name)
        {
            StoreType = column.ColumnType,
            ClrType = spellClrType ? ClrTypeSpelling.Spell(column.ClrType) : null,
            IsNullable = column.IsNullable,
            MaxLength = column.MaxLength,
            Collation = column.Collation,
            HasDefaultValue = column.DefaultValue is not null,
            DefaultValue = column.DefaultValue,
            DefaultValueIsClrDefault = isClrDefault,
            DefaultValueSql = column.DefaultValueSql,
            ComputedColumnSql = column.ComputedColumnSql,
            IsComputedStored = column.IsStored,
            Identity = NpgsqlAnnotations.IdentityOf(column[NpgsqlAnnotations.ValueGenerationStrategy]),
        };
    }

    // Npgsql keeps enums (and extensions) as database annotations, old and new.
    private static IReadOnlyList<SchemaChange> AlterDatabase(AlterDatabaseOperation database)
    {
        static Dictionary<string, object?> Values(IAnnotatable annotatable) =>
            annotatable.GetAnnotations().ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal);
        var changes = NpgsqlAnnotations.EnumChanges(Values(database), Values(database.OldDatabase));
        return changes.Count > 0 ? changes : [new OtherStatementChange("AlterDatabase", ChangesSchema: true)];
    }
}
