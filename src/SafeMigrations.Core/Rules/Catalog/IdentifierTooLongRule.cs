using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1023: PostgreSQL silently truncates identifiers longer than 63 bytes, so names can collide.</summary>
internal sealed class IdentifierTooLongRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.IdentifierTooLong, "Keep identifiers within 63 bytes", Severity.Warning, RuleCategory.Design,
        "Choose a shorter name (HasDatabaseName / HasConstraintName / HasColumnName / ToTable).");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        foreach (var name in NamesCreatedBy(operation.Operation).Where(PostgresIdentifiers.IsTooLong).Distinct())
        {
            var truncated = PostgresIdentifiers.Truncate(name);
            var clash = context.Operations.Where(o => o.Index != operation.Index).SelectMany(o => NamesCreatedBy(o.Operation))
                .FirstOrDefault(other => other != name && PostgresIdentifiers.Truncate(other) == truncated);
            if (clash is not null)
            {
                yield return Report(context, operation.Operation,
                    $"Identifier \"{name}\" is {PostgresIdentifiers.ByteLength(name)} bytes long: PostgreSQL truncates it to \"{truncated}\", the same name as \"{clash}\" in this migration, so one of them fails (already exists). Choose a shorter name.") with
                {
                    Severity = Severity.Error,
                };
            }
            else
            {
                yield return Report(context, operation.Operation,
                    $"Identifier \"{name}\" is {PostgresIdentifiers.ByteLength(name)} bytes long: PostgreSQL truncates it to its first {PostgresIdentifiers.MaxBytes} bytes (\"{truncated}\") with only a notice, so the name in the database differs from EF's, and a later name with the same first {PostgresIdentifiers.MaxBytes} bytes collides with it. Choose a shorter name.");
            }
        }
    }

    private static IEnumerable<string> NamesCreatedBy(SchemaChange operation)
    {
        switch (operation)
        {
            case CreateTableChange create:
                yield return create.Name.Name;
                foreach (var column in create.Columns)
                {
                    yield return column.Name;
                }

                if (create.PrimaryKeyName is not null)
                {
                    yield return create.PrimaryKeyName;
                }

                foreach (var name in create.ConstraintNames.Concat(create.ForeignKeys.Select(fk => fk.Name)))
                {
                    yield return name;
                }

                break;
            case AddColumnChange add:
                yield return add.Column.Name;
                break;
            case RenameColumnChange rename:
                yield return rename.NewName;
                break;
            case RenameTableChange rename:
                yield return rename.NewName.Name;
                break;
            case CreateIndexChange index:
                yield return index.Name;
                break;
            case RenameIndexChange rename:
                yield return rename.NewName;
                break;
            case AddPrimaryKeyChange key:
                yield return key.Name;
                break;
            case AddUniqueConstraintChange unique:
                yield return unique.Name;
                break;
            case AddForeignKeyChange foreignKey:
                yield return foreignKey.Name;
                break;
            case AddCheckConstraintChange check:
                yield return check.Name;
                break;
            case SequenceChange { Action: SchemaObjectAction.Create } sequence:
                yield return sequence.Name.Name;
                break;
        }
    }
}
