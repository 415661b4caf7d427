using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Verify;

/// <summary>A column as the shadow's seeding sees it (<see cref="ObservationSql.SeedColumns"/>).</summary>
/// <param name="Type">format_type's name, e.g. "character varying(200)".</param>
/// <param name="IsEnum">The type is an enum (its first label is used).</param>
/// <param name="IsAutomatic">Identity or generated: PostgreSQL fills it.</param>
/// <param name="References">The table and column a single-column foreign key points at.</param>
public sealed record SeedColumn(string Name, string Type, bool IsEnum, bool NotNull, bool HasDefault, bool IsAutomatic, (TableName Table, string Column)? References, bool IsUnique);

/// <summary>
/// Rows for the shadow database, so scans, rewrites and validations there are real: each table gets <c>rows</c>
/// rows from generate_series (g = 1…rows), a value per column by its type that keeps unique columns unique, each
/// foreign key pointing at a row of its parent (parents seeded first), columns with a default left to it.
/// </summary>
public static class SeedSql
{
    /// <summary>The tables in an order where every parent comes before its children (a cycle is broken where it closes).</summary>
    public static IReadOnlyList<TableName> Order(IReadOnlyDictionary<TableName, IReadOnlyList<SeedColumn>> tables)
    {
        var ordered = new List<TableName>();
        var visiting = new HashSet<TableName>();
        void Visit(TableName table)
        {
            if (ordered.Contains(table) || !visiting.Add(table))
            {
                return;
            }

            foreach (var parent in tables[table].Select(c => c.References?.Table).OfType<TableName>().Where(p => p != table && tables.ContainsKey(p)))
            {
                Visit(parent);
            }

            ordered.Add(table);
        }

        foreach (var table in (tables ?? throw new ArgumentNullException(nameof(tables))).Keys.OrderBy(t => t.ToString(), StringComparer.Ordinal))
        {
            Visit(table);
        }

        return ordered;
    }

    /// <summary>Whether the table holds a row already (seeded before an earlier verified migration).</summary>
    public static string HasRows(TableName table) => $"SELECT EXISTS (SELECT FROM {ConstraintSql.Qualified(table)})";

    /// <summary>The INSERT that seeds the table; null when a NOT NULL column has a type no value is known for.</summary>
    public static string? Insert(TableName table, IReadOnlyList<SeedColumn> columns, int rows)
    {
        var names = new List<string>();
        var values = new List<string>();
        var joins = new List<string>();
        var ctes = new List<string>();
        foreach (var column in columns ?? [])
        {
            if (column.IsAutomatic || column.HasDefault && column.References is null && !column.IsUnique)
            {
                continue;
            }

            string? value;
            if (column.References is { } parent && parent.Table != table)
            {
                var alias = "p" + ctes.Count.ToString(CultureInfo.InvariantCulture);
                // Row g points at the parent's row (g - 1) % count + 1: the count is a scalar subquery, so the join hashes.
                ctes.Add($"{alias} AS (SELECT {PostgresIdentifiers.Quote(parent.Column)} AS v, row_number() OVER (ORDER BY {PostgresIdentifiers.Quote(parent.Column)}) AS rn FROM {ConstraintSql.Qualified(parent.Table)})");
                joins.Add($"LEFT JOIN {alias} ON {alias}.rn = (g - 1) % greatest((SELECT count(*) FROM {ConstraintSql.Qualified(parent.Table)}), 1) + 1");
                value = $"{alias}.v";
            }
            else if (column.References is not null)
            {
                value = column.NotNull ? null : "NULL";
            }
            else
            {
                value = ValueOf(column);
            }

            if (value is null)
            {
                if (column.NotNull && !column.HasDefault)
                {
                    return null;
                }

                continue;
            }

            names.Add(PostgresIdentifiers.Quote(column.Name));
            values.Add(value);
        }

        var with = ctes.Count == 0 ? string.Empty : "WITH " + string.Join(", ", ctes) + " ";
        var count = Math.Max(rows, 0).ToString(CultureInfo.InvariantCulture);
        return names.Count == 0
            ? $"INSERT INTO {ConstraintSql.Qualified(table)} SELECT FROM generate_series(1, {count}) g"
            : $"{with}INSERT INTO {ConstraintSql.Qualified(table)} ({string.Join(", ", names)}) SELECT {string.Join(", ", values)} FROM generate_series(1, {count}) g {string.Join(" ", joins)}".TrimEnd();
    }

    /// <summary>A value for row g of a column of this type, unique per row where the type allows; null when unknown.</summary>
    private static string? ValueOf(SeedColumn column) => Value(column, "g");

    /// <summary>
    /// A value of the column's type for row number <paramref name="row"/> (SQL: "g", a parameter such as "@row"), unique per
    /// row where the type allows; null for a type it does not know. Seeding uses it for generated rows, the load harness
    /// for the rows its application inserts.
    /// </summary>
    public static string? Value(SeedColumn column, string row)
    {
        if (column is null)
        {
            throw new ArgumentNullException(nameof(column));
        }

        var g = row == "g" ? "g" : "(" + row + ")";
        var type = column.Type;
        var cast = "::" + type;
        if (column.IsEnum)
        {
            return $"enum_first(NULL{cast})";
        }

        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            return "'{}'" + cast;
        }

        var length = Regex.Match(type, @"^(character varying|character|varchar|char|bit varying|bit)\((\d+)\)$") is { Success: true } sized ? int.Parse(sized.Groups[2].Value, CultureInfo.InvariantCulture) : (int?)null;
        return type switch
        {
            "smallint" => $"({g} % 32767)::smallint",
            "integer" or "bigint" or "real" or "double precision" or "money" => $"{g}" + cast,
            _ when type.StartsWith("numeric", StringComparison.Ordinal) => $"({g} % 1000)" + cast,
            "boolean" => $"({g} % 2 = 0)",
            "text" or "citext" or "name" => $"('v' || {g})" + cast,
            _ when type.StartsWith("character", StringComparison.Ordinal) || type.StartsWith("varchar", StringComparison.Ordinal) =>
                length is { } n ? $"right('v' || {g}, {n.ToString(CultureInfo.InvariantCulture)}){cast}" : $"('v' || {g})" + cast,
            "uuid" => $"md5({g}::text)::uuid",
            "date" => $"(date '2020-01-01' + ({g} % 3650))",
            _ when type.StartsWith("timestamp", StringComparison.Ordinal) => $"(timestamp '2020-01-01' + {g} * interval '1 minute')" + cast,
            _ when type.StartsWith("time", StringComparison.Ordinal) => $"(time '00:00' + ({g} % 86400) * interval '1 second')" + cast,
            _ when type.StartsWith("interval", StringComparison.Ordinal) => $"({g} * interval '1 second')",
            "json" or "jsonb" => $"json_build_object('n', {g})" + cast,
            "bytea" => $"decode(md5({g}::text), 'hex')",
            "inet" or "cidr" => $"('10.0.0.0'::inet + {g})" + cast,
            _ => null,
        };
    }
}
