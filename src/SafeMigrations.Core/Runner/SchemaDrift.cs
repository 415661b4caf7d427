using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Runner;

/// <summary>A table as the model expects it or as the live database has it.</summary>
public sealed record SchemaTable(TableName Name, IReadOnlyList<SchemaColumn> Columns, IReadOnlyList<SchemaIndex> Indexes, IReadOnlyList<string> ForeignKeys);

public sealed record SchemaColumn(string Name, string StoreType, bool IsNullable);

public sealed record SchemaIndex(string Name, IReadOnlyList<string> Columns, bool IsUnique);

/// <summary>One way the live schema differs from the model (SM4003).</summary>
public sealed record DriftDifference(Severity Severity, TableName Table, string Description);

/// <summary>
/// Compares the schema the model expects with the one the live database has (`safemig drift`). What the
/// application needs and the database lacks (a table, a column, the column's type or NOT NULL, a unique
/// index, a foreign key) is an error: queries or writes fail, or the data is not what the model assumes.
/// What the database has beyond the model (tables, columns, indexes) is a warning or information: a
/// column left behind by a two-phase drop is expected for a release.
/// </summary>
public static class SchemaDrift
{
    public static IReadOnlyList<DriftDifference> Compare(IEnumerable<SchemaTable> expected, IEnumerable<SchemaTable> actual)
    {
        if (expected is null)
        {
            throw new ArgumentNullException(nameof(expected));
        }

        if (actual is null)
        {
            throw new ArgumentNullException(nameof(actual));
        }

        var differences = new List<DriftDifference>();
        var live = actual.ToDictionary(t => t.Name);
        var modelled = new HashSet<TableName>();
        foreach (var table in expected)
        {
            modelled.Add(table.Name);
            if (!live.TryGetValue(table.Name, out var found))
            {
                differences.Add(new DriftDifference(Severity.Error, table.Name, $"table {table.Name} is missing: every query of its entity fails"));
                continue;
            }

            CompareTable(table, found, differences);
        }

        foreach (var extra in actual.Where(t => !modelled.Contains(t.Name)))
        {
            differences.Add(new DriftDifference(Severity.Info, extra.Name, $"table {extra.Name} is not in the model"));
        }

        return differences;
    }

    /// <summary>Whether two spellings name the same PostgreSQL type (int4 and integer, varchar(20) and character varying(20)).</summary>
    public static bool SameType(string? left, string? right)
    {
        var a = Postgres.StoreType.Parse(left);
        var b = Postgres.StoreType.Parse(right);
        if (a is null || b is null)
        {
            return string.Equals(left?.Trim(), right?.Trim(), StringComparison.OrdinalIgnoreCase);
        }

        return a.BaseName == b.BaseName && a.IsArray == b.IsArray && a.Modifiers.SequenceEqual(b.Modifiers);
    }

    private static void CompareTable(SchemaTable expected, SchemaTable actual, List<DriftDifference> differences)
    {
        var columns = actual.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var column in expected.Columns)
        {
            if (!columns.TryGetValue(column.Name, out var found))
            {
                differences.Add(new DriftDifference(Severity.Error, expected.Name, $"column {expected.Name}.{Quote(column.Name)} is missing: queries that read or write it fail"));
                continue;
            }

            if (!SameType(column.StoreType, found.StoreType) && !(IsSerialOf(column.StoreType, found.StoreType)))
            {
                differences.Add(new DriftDifference(Severity.Error, expected.Name, $"column {expected.Name}.{Quote(column.Name)} is {found.StoreType}, the model says {column.StoreType}"));
            }

            if (column.IsNullable != found.IsNullable)
            {
                differences.Add(new DriftDifference(
                    found.IsNullable ? Severity.Warning : Severity.Error, expected.Name,
                    found.IsNullable
                        ? $"column {expected.Name}.{Quote(column.Name)} allows NULL, the model says it is required: rows may hold NULLs the application does not expect"
                        : $"column {expected.Name}.{Quote(column.Name)} is NOT NULL, the model says it is optional: writing NULL fails"));
            }
        }

        var modelledColumns = new HashSet<string>(expected.Columns.Select(c => c.Name), StringComparer.Ordinal);
        foreach (var extra in actual.Columns.Where(c => !modelledColumns.Contains(c.Name)))
        {
            differences.Add(new DriftDifference(extra.IsNullable ? Severity.Info : Severity.Warning, expected.Name,
                $"column {expected.Name}.{Quote(extra.Name)} is not in the model" + (extra.IsNullable ? string.Empty : ", and is NOT NULL: inserts that do not set it fail unless it has a default")));
        }

        var indexes = actual.Indexes.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var index in expected.Indexes)
        {
            if (!indexes.TryGetValue(index.Name, out var found))
            {
                differences.Add(new DriftDifference(index.IsUnique ? Severity.Error : Severity.Warning, expected.Name,
                    $"{(index.IsUnique ? "unique " : string.Empty)}index {Quote(index.Name)} is missing" + (index.IsUnique ? ": duplicates are not prevented" : ": its queries scan")));
            }
            else if (found.IsUnique != index.IsUnique || !found.Columns.SequenceEqual(index.Columns, StringComparer.Ordinal))
            {
                differences.Add(new DriftDifference(Severity.Warning, expected.Name, $"index {Quote(index.Name)} is on ({string.Join(", ", found.Columns)}){(found.IsUnique ? " unique" : string.Empty)}, the model says ({string.Join(", ", index.Columns)}){(index.IsUnique ? " unique" : string.Empty)}"));
            }
        }

        var modelledIndexes = new HashSet<string>(expected.Indexes.Select(i => i.Name), StringComparer.Ordinal);
        foreach (var extra in actual.Indexes.Where(i => !modelledIndexes.Contains(i.Name)))
        {
            differences.Add(new DriftDifference(Severity.Info, expected.Name, $"index {Quote(extra.Name)} is not in the model"));
        }

        var keys = new HashSet<string>(actual.ForeignKeys, StringComparer.Ordinal);
        foreach (var key in expected.ForeignKeys.Where(k => !keys.Contains(k)))
        {
            differences.Add(new DriftDifference(Severity.Error, expected.Name, $"foreign key {Quote(key)} is missing: orphans are not prevented"));
        }
    }

    // EF maps an identity or serial key as integer/bigint; a database created with serial reports the same type.
    private static bool IsSerialOf(string expected, string actual) =>
        Postgres.StoreType.Parse(expected) is { IsSerial: true } serial && SameType(serial.BaseName == "bigserial" ? "bigint" : serial.BaseName == "smallserial" ? "smallint" : "integer", actual);

    private static string Quote(string name) => "\"" + name + "\"";
}
