using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SafeMigrations.Core.EntityFramework;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Analyzers;

/// <summary>
/// Maps one MigrationBuilder call (with the .Annotation(...) chain around it) to the Core operation it
/// describes. Unknown calls map to null; values that are not compile-time constants stay unknown.
/// </summary>
internal static class MigrationBuilderCallMapper
{
    /// <summary>The operation a call describes (the first, for an AlterDatabase changing several enums).</summary>
    public static SchemaChange? MapOne(IInvocationOperation call, SourceLocation location) =>
        Map(call, location) is { Count: > 0 } operations ? operations[0] : null;

    public static IReadOnlyList<SchemaChange> Map(IInvocationOperation call, SourceLocation location)
    {
        if (call.TargetMethod.Name == "AlterDatabase")
        {
            return AlterDatabase(call).Select(o => o with { Location = location }).ToList();
        }

        var args = new InvocationArguments(call);
        var annotations = Annotations(call, "Annotation");
        var table = new TableName(args.String("table") ?? string.Empty, args.String("schema"));
        SchemaChange? operation = call.TargetMethod.Name switch
        {
            "CreateTable" => CreateTable(call, args),
            // SafeMigrations.Runtime's extension: the same statement it writes into the migration, read as the data update it is.
            "Backfill" => Backfill(args),
            "DropTable" => new DropTableChange(new TableName(args.String("name") ?? "?", args.String("schema"))),
            "RenameTable" => new RenameTableChange(
                new TableName(args.String("name") ?? "?", args.String("schema")),
                new TableName(args.String("newName") ?? args.String("name") ?? "?", args.String("newSchema") ?? args.String("schema"))),
            "AddColumn" => new AddColumnChange(table, Column(call, args, annotations, old: false)),
            "DropColumn" => new DropColumnChange(table, args.String("name") ?? "?"),
            "RenameColumn" => new RenameColumnChange(table, args.String("name") ?? "?", args.String("newName") ?? "?"),
            "AlterColumn" => new AlterColumnChange(table, Column(call, args, annotations, old: false), Column(call, args, Annotations(call, "OldAnnotation"), old: true)),
            "CreateIndex" => new CreateIndexChange(args.String("name") ?? "?", table, args.Strings("column", "columns"))
            {
                IsUnique = args.Bool("unique") == true,
                Filter = args.String("filter"),
                Concurrently = annotations.TryGetValue(NpgsqlAnnotations.CreatedConcurrently, out var concurrently) && NpgsqlAnnotations.IsTrue(concurrently.ConstantValue.Value),
            },
            "DropIndex" => new DropIndexChange(args.String("name") ?? "?", args.String("table") is { } indexTable ? new TableName(indexTable, args.String("schema")) : null),
            "RenameIndex" => new RenameIndexChange(args.String("name") ?? "?", args.String("newName") ?? "?", args.String("table") is { } renamedTable ? new TableName(renamedTable, args.String("schema")) : null),
            "AddPrimaryKey" => new AddPrimaryKeyChange(args.String("name") ?? "?", table, args.Strings("column", "columns")),
            "AddUniqueConstraint" => new AddUniqueConstraintChange(args.String("name") ?? "?", table, args.Strings("column", "columns")),
            "AddForeignKey" => new AddForeignKeyChange(args.String("name") ?? "?", table, args.Strings("column", "columns"), new TableName(args.String("principalTable") ?? "?", args.String("principalSchema")))
            {
                PrincipalColumns = args.Strings("principalColumn", "principalColumns"),
                OnDelete = args.Int("onDelete") is { } onDelete ? (ForeignKeyAction)onDelete : ForeignKeyAction.NoAction,
                OnUpdate = args.Int("onUpdate") is { } onUpdate ? (ForeignKeyAction)onUpdate : ForeignKeyAction.NoAction,
            },
            "AddCheckConstraint" => new AddCheckConstraintChange(args.String("name") ?? "?", table, args.String("sql") ?? string.Empty),
            "DropPrimaryKey" => new DropConstraintChange(args.String("name") ?? "?", table, ConstraintKind.PrimaryKey),
            "DropUniqueConstraint" => new DropConstraintChange(args.String("name") ?? "?", table, ConstraintKind.Unique),
            "DropForeignKey" => new DropConstraintChange(args.String("name") ?? "?", table, ConstraintKind.ForeignKey),
            "DropCheckConstraint" => new DropConstraintChange(args.String("name") ?? "?", table, ConstraintKind.Check),
            "EnsureSchema" => new SchemaNamespaceChange(SchemaObjectAction.Create, args.String("name") ?? "?"),
            "DropSchema" => new SchemaNamespaceChange(SchemaObjectAction.Drop, args.String("name") ?? "?"),
            "CreateSequence" => new SequenceChange(SchemaObjectAction.Create, new TableName(args.String("name") ?? "?", args.String("schema"))),
            "DropSequence" => new SequenceChange(SchemaObjectAction.Drop, new TableName(args.String("name") ?? "?", args.String("schema"))),
            "AlterSequence" or "RestartSequence" => new SequenceChange(SchemaObjectAction.Alter, new TableName(args.String("name") ?? "?", args.String("schema"))),
            "RenameSequence" => new SequenceChange(SchemaObjectAction.Rename, new TableName(args.String("name") ?? "?", args.String("schema"))),
            "InsertData" => new DataChange(DataChangeKind.Insert, table),
            "UpdateData" => new DataChange(DataChangeKind.Update, table) { HasWhereClause = true },
            "DeleteData" => new DataChange(DataChangeKind.Delete, table) { HasWhereClause = true },
            "Sql" => new RawSqlChange(args.String("sql") ?? string.Empty)
            {
                SuppressTransaction = args.Bool("suppressTransaction") == true,
                IsKnown = args.String("sql") is not null,
            },
            "AlterTable" => new OtherStatementChange("AlterTable", true),
            _ => null,
        };
        return operation is null ? [] : [operation with { Location = location }];
    }

    private static ColumnDefinition Column(IInvocationOperation call, InvocationArguments args, IReadOnlyDictionary<string, IOperation> annotations, bool old)
    {
        string Name(string parameter) => old ? "old" + char.ToUpperInvariant(parameter[0]) + parameter.Substring(1) : parameter;
        var nullable = args.Bool(Name("nullable")) ?? false;
        var defaultValue = args.Raw(Name("defaultValue"));
        var hasDefault = defaultValue is not null && args.HasValue(Name("defaultValue"));
        var value = hasDefault ? DefaultValueExpression.Evaluate(defaultValue!) : null;
        return new ColumnDefinition(args.String("name") ?? "?")
        {
            StoreType = args.String(Name("type")),
            // Spelled only for AlterColumn, where a CLR type change may be all a migration says of its type change.
            ClrType = call.TargetMethod.Name == "AlterColumn" ? ClrTypeOf(call, args, old) : null,
            IsNullable = nullable,
            MaxLength = args.Int(Name("maxLength")),
            Collation = args.String(Name("collation")),
            HasDefaultValue = hasDefault,
            DefaultValue = value,
            // EF's differ writes the CLR default (0, "", false, Guid.Empty, …) for a non-nullable column the model gives no default.
            DefaultValueIsClrDefault = !old && hasDefault && ClrDefaults.IsClrDefault(value),
            DefaultValueSql = args.String(Name("defaultValueSql")),
            ComputedColumnSql = args.String(Name("computedColumnSql")),
            IsComputedStored = args.Bool(Name("stored")),
            Identity = IdentityOf(annotations),
        };
    }

    /// <summary>AlterColumn&lt;long&gt;(… oldClrType: typeof(decimal)): the CLR types EF states, as C# spells them.</summary>
    private static string? ClrTypeOf(IInvocationOperation call, InvocationArguments args, bool old)
    {
        var type = old
            ? (args.Raw("oldClrType") as ITypeOfOperation)?.TypeOperand
            : call.TargetMethod.TypeArguments.FirstOrDefault();
        return type is null || type.TypeKind == TypeKind.Error ? null : Model.ClrTypeNames.Spell(type);
    }

    private static CreateTableChange CreateTable(IInvocationOperation call, InvocationArguments args)
    {
        var name = new TableName(args.String("name") ?? "?", args.String("schema"));
        var columns = new List<ColumnDefinition>();
        var columnNamesByProperty = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assignment in (args.Raw("columns")?.Descendants() ?? []).OfType<ISimpleAssignmentOperation>())
        {
            if (assignment.Target is not IPropertyReferenceOperation property || InnermostCall(assignment.Value, "Column") is not { } columnCall)
            {
                continue;
            }

            var columnArgs = new InvocationArguments(columnCall);
            var columnName = columnArgs.String("name") ?? property.Property.Name;
            columnNamesByProperty[property.Property.Name] = columnName;
            columns.Add(Column(columnCall, columnArgs, Annotations(columnCall, "Annotation"), old: false) with { Name = columnName });
        }

        var primaryKey = new List<string>();
        string? primaryKeyName = null;
        var foreignKeys = new List<AddForeignKeyChange>();
        var constraintNames = new List<string>();
        foreach (var constraint in (args.Raw("constraints")?.Descendants() ?? []).OfType<IInvocationOperation>())
        {
            var constraintArgs = new InvocationArguments(constraint);
            if (constraintArgs.String("name") is { } constraintName && constraint.TargetMethod.Name is "PrimaryKey" or "ForeignKey" or "UniqueConstraint" or "CheckConstraint")
            {
                constraintNames.Add(constraintName);
            }

            IReadOnlyList<string> Columns(string parameter) =>
                (constraintArgs.Raw(parameter)?.Descendants() ?? []).OfType<IPropertyReferenceOperation>()
                    .Select(p => columnNamesByProperty.TryGetValue(p.Property.Name, out var column) ? column : p.Property.Name)
                    .ToList();

            switch (constraint.TargetMethod.Name)
            {
                case "PrimaryKey":
                    primaryKey.AddRange(Columns("columns"));
                    primaryKeyName = constraintArgs.String("name");
                    break;
                case "ForeignKey":
                    foreignKeys.Add(new AddForeignKeyChange(
                        constraintArgs.String("name") ?? "?", name, Columns("column").Concat(Columns("columns")).ToList(),
                        new TableName(constraintArgs.String("principalTable") ?? "?", constraintArgs.String("principalSchema")))
                    {
                        PrincipalColumns = constraintArgs.Strings("principalColumn", "principalColumns"),
                        OnDelete = constraintArgs.Int("onDelete") is { } onDelete ? (ForeignKeyAction)onDelete : ForeignKeyAction.NoAction,
                        OnUpdate = constraintArgs.Int("onUpdate") is { } onUpdate ? (ForeignKeyAction)onUpdate : ForeignKeyAction.NoAction,
                    });
                    break;
            }
        }

        return new CreateTableChange(name, columns) { PrimaryKeyColumns = primaryKey, PrimaryKeyName = primaryKeyName, ForeignKeys = foreignKeys, ConstraintNames = constraintNames };
    }

    private static RawSqlChange Backfill(InvocationArguments args) =>
        args.String("table") is { } table && args.String("set") is { } set && args.String("where") is { } where && (args.Int("batchSize") ?? 1000) is var batch and > 0
            ? new RawSqlChange(BackfillSql.Statement(new BackfillSpec(args.String("schema"), table, args.String("keyColumn") ?? string.Empty, set, where, batch, 0))) { SuppressTransaction = true }
            : new RawSqlChange("(a backfill built at run time)") { SuppressTransaction = true, IsKnown = false };

    // Npgsql keeps enums and extensions as database annotations: AlterDatabase().Annotation("Npgsql:Enum:status", "a,b").OldAnnotation(...).
    private static IEnumerable<SchemaChange> AlterDatabase(IInvocationOperation call)
    {
        static Dictionary<string, object?> Constants(IReadOnlyDictionary<string, IOperation> annotations) =>
            annotations.ToDictionary(a => a.Key, a => a.Value.ConstantValue.HasValue ? a.Value.ConstantValue.Value : null, StringComparer.Ordinal);
        var changes = NpgsqlAnnotations.EnumChanges(Constants(Annotations(call, "Annotation")), Constants(Annotations(call, "OldAnnotation")));
        return changes.Count > 0 ? changes : [new OtherStatementChange("AlterDatabase", true)];
    }

    /// <summary>The .Annotation(name, value) (or .OldAnnotation) calls chained on the operation builder a call returns.</summary>
    private static IReadOnlyDictionary<string, IOperation> Annotations(IInvocationOperation call, string methodName)
    {
        var annotations = new Dictionary<string, IOperation>(StringComparer.Ordinal);
        IOperation current = call;
        while (current.Parent is IInvocationOperation outer && ReferenceEquals(outer.Instance, current))
        {
            if (outer.TargetMethod.Name == methodName && outer.Arguments.Length == 2
                && InvocationArguments.Unwrap(outer.Arguments[0].Value).ConstantValue.Value is string key)
            {
                annotations[key] = InvocationArguments.Unwrap(outer.Arguments[1].Value);
            }

            current = outer;
        }

        return annotations;
    }

    /// <summary>table.Column&lt;T&gt;(...) under its .Annotation(...) chain.</summary>
    private static IInvocationOperation? InnermostCall(IOperation value, string methodName)
    {
        for (var current = InvocationArguments.Unwrap(value) as IInvocationOperation;
             current is not null;
             current = current.Instance is { } instance ? InvocationArguments.Unwrap(instance) as IInvocationOperation : null)
        {
            if (current.TargetMethod.Name == methodName)
            {
                return current;
            }
        }

        return null;
    }

    private static IdentityKind IdentityOf(IReadOnlyDictionary<string, IOperation> annotations) =>
        annotations.TryGetValue(NpgsqlAnnotations.ValueGenerationStrategy, out var strategy)
            ? NpgsqlAnnotations.IdentityOf(strategy is IFieldReferenceOperation field ? field.Field.Name : strategy.ConstantValue.Value)
            : IdentityKind.None;
}
