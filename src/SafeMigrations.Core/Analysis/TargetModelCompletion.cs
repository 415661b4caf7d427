using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Analysis;

/// <summary>What a migration's target model (its Designer) says that its operations do not.</summary>
public interface ITargetModelFacts
{
    /// <summary>Whether the column is part of a primary or foreign key; null when the model does not have it.</summary>
    bool? IsKey(TableName table, string column);

    /// <summary>Whether the model configures the column's default (HasDefaultValue, HasDefaultValueSql); null when it does not have it.</summary>
    bool? IsDefaultConfigured(TableName table, string column);
}

/// <summary>
/// Completes a migration's changes with its target model, for every front end alike (the analyzers read the
/// Designer's syntax, the design host and the runner EF's model): whether a CLR-default value EF wrote was
/// configured by the developer, and whether an altered column is a key. Only a migration that has such a column
/// needs the model at all.
/// </summary>
public static class TargetModelCompletion
{
    /// <summary>A filled-in default to tell from a configured one, or a type change whose column may be a key.</summary>
    public static bool Needs(SchemaChange change) => change switch
    {
        AddColumnChange add => add.Column.DefaultValueIsClrDefault,
        AlterColumnChange alter => alter.Column.DefaultValueIsClrDefault
            || !string.Equals(alter.Column.StoreType, alter.Old?.StoreType, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(alter.Column.ClrType, alter.Old?.ClrType, StringComparison.Ordinal),
        _ => false,
    };

    public static IReadOnlyList<SchemaChange> Complete(IReadOnlyList<SchemaChange> changes, ITargetModelFacts? model)
    {
        if (changes is null || model is null || !changes.Any(Needs))
        {
            return changes ?? [];
        }

        ColumnDefinition Mark(TableName table, ColumnDefinition column) =>
            column.DefaultValueIsClrDefault ? column with { IsDefaultConfigured = model.IsDefaultConfigured(table, column.Name) } : column;
        return changes.Select(change => change switch
        {
            AddColumnChange add when Needs(add) => add with { Column = Mark(add.TableName, add.Column) },
            AlterColumnChange alter when Needs(alter) => alter with { Column = Mark(alter.TableName, alter.Column), IsKeyColumn = model.IsKey(alter.TableName, alter.Column.Name) },
            _ => change,
        }).ToList();
    }
}
