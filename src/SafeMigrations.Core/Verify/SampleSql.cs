using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Verify;

/// <summary>A foreign key as <see cref="ObservationSql.ForeignKeys"/> reads it.</summary>
public sealed record ForeignKey(TableName Table, IReadOnlyList<string> Columns, TableName Referenced, IReadOnlyList<string> ReferencedColumns);

/// <summary>
/// verify --sample: real rows instead of generated ones. Each table's first rows are read from the sampled database
/// (as JSON, in one read-only snapshot) and land in a staging table on the shadow; only the rows whose foreign keys
/// find their parent (parents are copied first; a key to its own table looks among the staged rows) go into the
/// table, so no constraint is switched off and every later validation sees consistent rows. Sequences then move past the copied keys.
/// </summary>
public static class SampleSql
{
    /// <summary>The staging table, a temporary one of the shadow's session.</summary>
    public static readonly string StagingTable = "safemigrations_sample";

    /// <summary>
    /// The sampled database's first <paramref name="rows"/> rows of the table as one JSON array: plain text every
    /// driver version reads alike, and PostgreSQL turns back into the same values (json_populate_recordset).
    /// </summary>
    public static string ReadSample(TableName table, IReadOnlyList<string> columns, int rows) =>
        $"SELECT coalesce(json_agg(t), '[]')::text FROM (SELECT {List(columns)} FROM {ConstraintSql.Qualified(table)} LIMIT {rows.ToString(CultureInfo.InvariantCulture)}) t";

    /// <summary>An empty staging table with the table's column types (no constraints: rows are filtered on their way out).</summary>
    public static string CreateStaging(TableName table, IReadOnlyList<string> columns) =>
        $"CREATE TEMP TABLE {PostgresIdentifiers.Quote(StagingTable)} AS SELECT {List(columns)} FROM {ConstraintSql.Qualified(table)} WITH NO DATA";

    /// <summary>Fills the staging table from <see cref="ReadSample"/>'s JSON (@rows).</summary>
    public static string Stage() =>
        $"INSERT INTO {PostgresIdentifiers.Quote(StagingTable)} SELECT * FROM json_populate_recordset(NULL::{PostgresIdentifiers.Quote(StagingTable)}, @rows::json)";

    /// <summary>
    /// Deletes the staged rows a foreign key would refuse: not NULL in part (MATCH SIMPLE) and without their parent,
    /// in the parent table or, for a key to its own table, among the staged rows. Run until it deletes nothing: a
    /// row goes when the staged parent it pointed at went. Null when the table has no key to check.
    /// </summary>
    public static string? Prune(TableName table, IReadOnlyList<string> columns, IEnumerable<ForeignKey> foreignKeys)
    {
        if (columns is null)
        {
            throw new ArgumentNullException(nameof(columns));
        }

        var staged = PostgresIdentifiers.Quote(StagingTable);
        var orphans = (foreignKeys ?? []).Where(k => k.Table == table && k.Columns.All(columns.Contains)).Select(k =>
        {
            string Match(string alias) => string.Join(" AND ", k.Columns.Select((c, i) => $"{alias}.{PostgresIdentifiers.Quote(k.ReferencedColumns[i])} = s.{PostgresIdentifiers.Quote(c)}"));
            var allSet = string.Join(" AND ", k.Columns.Select(c => $"s.{PostgresIdentifiers.Quote(c)} IS NOT NULL"));
            var parent = k.Referenced == table && k.ReferencedColumns.All(columns.Contains)
                ? $"{staged} p WHERE {Match("p")}"
                : $"{ConstraintSql.Qualified(k.Referenced)} p WHERE {Match("p")}";
            return $"({allSet} AND NOT EXISTS (SELECT FROM {parent}))";
        }).ToList();
        return orphans.Count == 0 ? null : $"DELETE FROM {staged} s WHERE {string.Join(" OR ", orphans)}";
    }

    /// <summary>Moves the staged rows into the table, keys as they were (identity too).</summary>
    public static string Insert(TableName table, IReadOnlyList<string> columns) =>
        $"INSERT INTO {ConstraintSql.Qualified(table)} ({List(columns)}) OVERRIDING SYSTEM VALUE SELECT {List(columns)} FROM {PostgresIdentifiers.Quote(StagingTable)}";

    public static string DropStaging() => $"DROP TABLE IF EXISTS {PostgresIdentifiers.Quote(StagingTable)}";

    /// <summary>Moves a sequence past the largest key in its column (@sequence: its qualified name, as pg_get_serial_sequence gives it).</summary>
    public static string AdvanceSequence(TableName table, string column) =>
        $"SELECT setval(@sequence::regclass, coalesce(max({PostgresIdentifiers.Quote(column)}), 0) + 1, false) FROM {ConstraintSql.Qualified(table)}";

    private static string List(IEnumerable<string> columns) => string.Join(", ", columns.Select(PostgresIdentifiers.Quote));
}
