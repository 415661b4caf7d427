using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Gate;

/// <summary>A column as a release's model maps it.</summary>
/// <param name="IsNullable">The model may write NULL to it.</param>
/// <param name="IsGenerated">The database fills it in: a default, an identity, a computed column.</param>
public sealed record ReleaseColumn(string Name, bool IsNullable, bool IsGenerated);

/// <summary>A table as a release's model maps it.</summary>
public sealed record ReleaseTable(TableName Name, IReadOnlyList<ReleaseColumn> Columns)
{
    /// <summary>The primary key's columns, in order; empty when the model gives the table none.</summary>
    public IReadOnlyList<string> PrimaryKey { get; init; } = Array.Empty<string>();

    public ReleaseColumn? Find(string column) => Columns.FirstOrDefault(c => string.Equals(c.Name, column, StringComparison.Ordinal));
}

/// <summary>
/// The tables and columns a release reads and writes: the target model of a migration (its Designer),
/// as the design host reads it from EF.
/// </summary>
public sealed record ReleaseSchema(IReadOnlyList<ReleaseTable> Tables)
{
    public static ReleaseSchema Empty { get; } = new(Array.Empty<ReleaseTable>());

    public ReleaseTable? Find(TableName table) => Tables.FirstOrDefault(t => t.Name == table);
}
