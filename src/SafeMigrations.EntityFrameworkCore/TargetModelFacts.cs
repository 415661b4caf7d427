using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.EntityFramework;
using SafeMigrations.Core.Gate;
using SafeMigrations.Core.Model;

namespace SafeMigrations.EntityFrameworkCore;

/// <summary>
/// What a migration's target model (its Designer, as EF builds it) says that the operations do not:
/// which columns are keys, whether a default is configured, and which tables and columns that release
/// reads and writes.
/// </summary>
internal sealed class TargetModelFacts(IRelationalModel model) : ITargetModelFacts
{
    public bool? IsKey(TableName table, string column)
    {
        if (Find(table) is not { } found)
        {
            return null;
        }

        return (found.PrimaryKey?.Columns.Any(c => c.Name == column) ?? false)
            || found.ForeignKeyConstraints.Any(f => f.Columns.Any(c => c.Name == column))
            || found.ReferencingForeignKeyConstraints.Any(f => f.PrincipalColumns.Any(c => c.Name == column));
    }

    /// <summary>Whether the model configures the column's default (HasDefaultValue / HasDefaultValueSql); null when the column is unknown.</summary>
    public bool? IsDefaultConfigured(TableName table, string column) =>
        Find(table)?.FindColumn(column) is { } found ? found.DefaultValue is not null || found.DefaultValueSql is not null : null;

    public ReleaseSchema ToReleaseSchema() => new(
        model.Tables
            .Where(t => !t.IsExcludedFromMigrations)
            .Select(t => new ReleaseTable(new TableName(t.Name, t.Schema), t.Columns.Select(Column).ToList()) { PrimaryKey = t.PrimaryKey?.Columns.Select(c => c.Name).ToList() ?? [] })
            .ToList());

    private static ReleaseColumn Column(IColumn column) => new(
        column.Name,
        column.IsNullable,
        IsGenerated: column.DefaultValue is not null
            || column.DefaultValueSql is not null
            || column.ComputedColumnSql is not null
            || NpgsqlAnnotations.IdentityOf(column[NpgsqlAnnotations.ValueGenerationStrategy]) != IdentityKind.None
            || column.PropertyMappings.Any(m => m.Property.ValueGenerated != ValueGenerated.Never));

    private ITable? Find(TableName table) => model.FindTable(table.Name, table.Schema ?? DefaultSchema());

    private string? DefaultSchema() => model.Model.GetDefaultSchema();
}
