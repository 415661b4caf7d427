using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Core.Gate;

/// <summary>
/// SM3007: a batched backfill (migrationBuilder.Backfill) names its table, key column and SET columns as text, so
/// the compiler cannot check them and EF would fail only when it runs. They are checked against the migration's
/// target model: the table mapped, the key a column of it (or, left empty, a single-column primary key), every
/// column the SET list assigns a column of it, named as PostgreSQL reads it (unquoted names fold to lower case).
/// </summary>
public static class BackfillTargetsCheck
{
    /// <param name="target">The migration's target model; null when its Designer records none (nothing to check against).</param>
    public static IReadOnlyList<Finding> Check(MigrationDefinition migration, ReleaseSchema? target, AnalysisOptions options)
    {
        if (migration is null || target is null || options is null || options.IsBeforeBaseline(migration.Id))
        {
            return Array.Empty<Finding>();
        }

        var severity = options.SeverityOf(GateRules.BackfillTargetMissing);
        if (severity == Severity.None)
        {
            return Array.Empty<Finding>();
        }

        var findings = new List<Finding>();
        foreach (var change in migration.UpOperations.OfType<RawSqlChange>())
        {
            if (BackfillSql.Parse(change.Sql.TrimStart()) is not { } backfill)
            {
                continue;
            }

            var name = new TableName(backfill.Table, backfill.Schema);
            void Report(string problem, Severity at) =>
                findings.Add(new Finding(RuleIds.BackfillTargetMissing, at, $"The backfill of {name} {problem} It would fail when it runs. {GateRules.BackfillTargetMissing.SafeRecipe}", migration.Id, change.Location ?? migration.Location) { Table = name });

            if (target.Find(name) is not { } table)
            {
                // A table EF does not map may still exist (created by raw SQL): said, but not an error.
                Report($"names a table that EF's model after migration {migration.Id} does not map{Nearest(backfill.Table, target.Tables.Select(t => t.Name.Name))}. If it exists outside the model, suppress this with a justification.", Min(severity, Severity.Warning));
                continue;
            }

            if (backfill.UsesPrimaryKey && table.PrimaryKey.Count != 1)
            {
                Report(table.PrimaryKey.Count == 0 ? "walks the primary key, and the table has none in the model." : $"walks the primary key, which has {table.PrimaryKey.Count} columns ({string.Join(", ", table.PrimaryKey)}): pass a unique key column.", severity);
            }
            else if (!backfill.UsesPrimaryKey && table.Find(backfill.KeyColumn) is null)
            {
                Report($"walks key column \"{backfill.KeyColumn}\", which the table does not have{Nearest(backfill.KeyColumn, table.Columns.Select(c => c.Name))}.", severity);
            }

            var said = new HashSet<string>(StringComparer.Ordinal);
            foreach (var column in AssignedColumns(backfill.Set).Where(c => table.Find(c) is null && said.Add(c)))
            {
                Report($"sets column \"{column}\", which the table does not have{Nearest(column, table.Columns.Select(c => c.Name))}.", severity);
            }

            // An unquoted name PostgreSQL folds to lower case, where the table has it in another case: certain to fail.
            foreach (var (word, column) in UnquotedNames(backfill.Set + " " + backfill.Where).Select(w => (w, table.Columns.FirstOrDefault(c => string.Equals(c.Name, w, StringComparison.OrdinalIgnoreCase))?.Name))
                         .Where(m => m.Item2 is not null && table.Find(m.Item1.ToLowerInvariant()) is null && said.Add(m.Item1.ToLowerInvariant())))
            {
                Report($"reads column \"{word.ToLowerInvariant()}\" (unquoted {word}, which PostgreSQL folds to lower case), which the table does not have (it has \"{column}\": quote it as written).", severity);
            }
        }

        return findings;
    }

    /// <summary>The columns a SET list assigns ("a = 1, \"B\" = f(x, y)" → a, B), as PostgreSQL names them.</summary>
    internal static IEnumerable<string> AssignedColumns(string set)
    {
        var depth = 0;
        var start = 0;
        var quote = '\0';
        for (var i = 0; i <= set.Length; i++)
        {
            var c = i < set.Length ? set[i] : ',';
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    if (Target(set.Substring(start, i - start)) is { } column)
                    {
                        yield return column;
                    }

                    start = i + 1;
                    break;
            }
        }
    }

    /// <summary>The unquoted words of SQL text, outside string literals and quoted names, that are not function calls.</summary>
    internal static IEnumerable<string> UnquotedNames(string sql)
    {
        for (var i = 0; i < sql.Length;)
        {
            var c = sql[i];
            if (c is '\'' or '"')
            {
                var end = sql.IndexOf(c, i + 1);
                i = end < 0 ? sql.Length : end + 1;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$'))
                {
                    i++;
                }

                var next = i;
                while (next < sql.Length && char.IsWhiteSpace(sql[next]))
                {
                    next++;
                }

                var afterDot = start > 0 && sql[start - 1] == '.';
                if (!afterDot && (next >= sql.Length || sql[next] != '('))
                {
                    yield return sql.Substring(start, i - start);
                }
            }
            else
            {
                i++;
            }
        }
    }

    private static string? Target(string assignment)
    {
        var equals = assignment.IndexOf('=');
        if (equals <= 0)
        {
            return null;
        }

        var column = assignment.Substring(0, equals).Trim();
        if (column.Length > 1 && column[0] == '"' && column[column.Length - 1] == '"')
        {
            return column.Substring(1, column.Length - 2).Replace("\"\"", "\"");
        }

        // An unquoted identifier; "(a, b) = (…)" and "a.b" are left alone.
        return column.All(ch => char.IsLetterOrDigit(ch) || ch is '_' or '$') ? column.ToLowerInvariant() : null;
    }

    private static string Nearest(string name, IEnumerable<string> names) =>
        names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } near ? $" (it has \"{near}\": quote it as written)" : string.Empty;

    private static Severity Min(Severity a, Severity b) => a < b ? a : b;
}
