using System;
using System.Collections.Generic;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1019: json has no equality operator, so DISTINCT, GROUP BY and UNION over it fail.</summary>
internal sealed class JsonColumnRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.JsonColumn, "Use jsonb, not json", Severity.Warning, RuleCategory.Design,
        "Declare the column as jsonb (HasColumnType(\"jsonb\"); Npgsql maps JSON documents to jsonb by default).");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        foreach (var (table, column) in NewColumns.Of(operation.Operation))
        {
            if (StoreType.Parse(column.StoreType) is { BaseName: "json" })
            {
                yield return Report(context, operation.Operation,
                    $"Column \"{column.Name}\" of {table} is json: it has no equality operator, so queries using DISTINCT, GROUP BY or UNION over it fail, and every read re-parses it. Use jsonb.");
            }
        }
    }
}

/// <summary>Columns an operation creates or retypes, for the type-design rules.</summary>
internal static class NewColumns
{
    public static IEnumerable<(TableName Table, ColumnDefinition Column)> Of(SchemaChange operation)
    {
        switch (operation)
        {
            case CreateTableChange create:
                foreach (var column in create.Columns)
                {
                    yield return (create.Name, column);
                }

                break;
            case AddColumnChange add:
                yield return (add.TableName, add.Column);
                break;
            case AlterColumnChange alter when alter.Column.StoreType is not null
                && !string.Equals(alter.Column.StoreType, alter.Old?.StoreType, StringComparison.OrdinalIgnoreCase):
                yield return (alter.TableName, alter.Column);
                break;
        }
    }
}
