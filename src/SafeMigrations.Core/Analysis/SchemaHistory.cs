using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Analysis;

/// <summary>
/// Facts carried from earlier migrations to later ones, so multi-step safe recipes are recognised:
/// a CHECK (c IS NOT NULL) added NOT VALID in one migration and validated in the next makes a later
/// SET NOT NULL scan-free on PostgreSQL 12+.
/// </summary>
public sealed class SchemaHistory
{
    private static readonly Regex IsNotNullCheck = new(
        @"^\s*\(?\s*""?(?<column>[A-Za-z_][A-Za-z0-9_$]*)""?\s+IS\s+NOT\s+NULL\s*\)?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private readonly Dictionary<(TableName Table, string Constraint), string> notNullChecks = new();
    private readonly HashSet<(TableName Table, string Column)> validatedNotNull = new();

    /// <summary>
    /// Whether judging these operations may consult earlier migrations' facts: only a column becoming
    /// NOT NULL does. Front ends that must work to gather the history (the IDE analyzer) skip it otherwise.
    /// </summary>
    public static bool MayMatterTo(IReadOnlyList<SchemaChange> operations) =>
        MigrationAnalyzer.Expand(operations).Any(o => o.Operation is AlterColumnChange { Column.IsNullable: false });

    /// <summary>Whether a validated CHECK (column IS NOT NULL) exists on the column.</summary>
    public bool HasValidatedNotNullCheck(TableName table, string column) => validatedNotNull.Contains((table, column));

    /// <summary>What the history holds now, kept apart from what later migrations add to it.</summary>
    public SchemaHistory Copy()
    {
        var copy = new SchemaHistory();
        foreach (var check in notNullChecks)
        {
            copy.notNullChecks.Add(check.Key, check.Value);
        }

        copy.validatedNotNull.UnionWith(validatedNotNull);
        return copy;
    }

    /// <summary>Records what a migration's changes establish, in order (raw SQL split into its statements).</summary>
    public void Apply(IReadOnlyList<SchemaChange> changes)
    {
        foreach (var analyzed in MigrationAnalyzer.Expand(changes))
        {
            Apply(analyzed.Operation);
        }
    }

    /// <summary>Records what an operation establishes, in order.</summary>
    public void Apply(SchemaChange operation)
    {
        switch (operation)
        {
            case AddCheckConstraintChange check when IsNotNullCheck.Match(check.Sql) is { Success: true } match:
                notNullChecks[(check.TableName, check.Name)] = match.Groups["column"].Value;
                if (!check.NotValid)
                {
                    validatedNotNull.Add((check.TableName, match.Groups["column"].Value));
                }

                break;
            case ValidateConstraintChange validate when notNullChecks.TryGetValue((validate.TableName, validate.Name), out var column):
                validatedNotNull.Add((validate.TableName, column));
                break;
        }
    }
}
