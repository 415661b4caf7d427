using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Verify;

/// <summary>The findings of `safemig verify`: SM4005 for what a statement really did to an existing table, SM4006 for a Down that did not restore the schema.</summary>
public static class VerifyJudge
{
    /// <summary>How long a write-blocking lock may be held on the shadow's seeded rows before it is a finding.</summary>
    public static readonly TimeSpan DefaultLockBudget = TimeSpan.FromMilliseconds(1000);

    public static IReadOnlyList<Finding> Judge(IReadOnlyList<ObservedStatement> statements, RoundTrip? roundTrip, TimeSpan lockBudget)
    {
        var findings = new List<Finding>();
        foreach (var statement in statements ?? [])
        {
            var blocking = statement.Locks.Where(l => l.Level.BlocksWrites()).OrderByDescending(l => l.Level).FirstOrDefault();
            // Scaled to a live database (--from), the estimate is what counts against the budget.
            var live = statement.Impact is { } impact && impact.Lock.BlocksWrites() ? $" On the live database it {impact.Describe()}." : string.Empty;
            var held = Math.Max(statement.HeldMs, statement.Impact is { Lock: var level } scaled && level.BlocksWrites() ? scaled.EstimatedHeldMs : 0);
            if (statement.Rewritten.Count > 0)
            {
                findings.Add(Finding(RuleIds.ObservedBlockingLock, statement,
                    $"rewrote {string.Join(", ", statement.Rewritten)} (a new storage file: every row copied)"
                    + (blocking is null ? string.Empty : $" under {blocking.Level.SqlName()} on {blocking.Table.DisplayName}, held {Ms(statement.HeldMs)}")
                    + "." + live + " On a production-size table that is the whole copy under the lock: " + SafeForm(statement)));
            }
            else if (blocking is not null && held > lockBudget.TotalMilliseconds)
            {
                findings.Add(Finding(RuleIds.ObservedBlockingLock, statement,
                    $"held {blocking.Level.SqlName()} on {blocking.Table.DisplayName} for {Ms(statement.HeldMs)}, which {blocking.Level.Effect()} for that long." + live
                    + $" That is beyond the budget ({Ms(lockBudget.TotalMilliseconds)}): " + SafeForm(statement)));
            }
        }

        if (roundTrip is { SchemaRestored: false })
        {
            var differences = roundTrip.LostByDown.Select(l => "missing after Down: " + l).Concat(roundTrip.LeftByDown.Select(l => "left by Down: " + l)).ToList();
            findings.Add(new Finding(RuleIds.RollbackChangedSchema, Severity.Error,
                $"After Up then Down, the schema differs from the schema before Up ({differences.Count} difference(s)): {string.Join("; ", differences.Take(6))}{(differences.Count > 6 ? "; …" : string.Empty)}. "
                + "Make each Down undo exactly its Up (a rollback now leaves a schema no release was built for).", roundTrip.FirstDifferent ?? string.Empty, null));
        }

        return findings;
    }

    /// <summary>
    /// The advice: the migration rules Core's own analysis finds in the statement's SQL (errors, and warnings too: verify
    /// saw the harm a warning only suspects; suppressions aside, verify ran it anyway) and the command that shows their
    /// safe forms; SM4005's page when no rule knows the statement.
    /// </summary>
    private static string SafeForm(ObservedStatement statement)
    {
        var migration = new Model.MigrationDefinition(statement.MigrationId, [new Model.RawSqlChange(statement.Sql) { SuppressTransaction = !statement.InTransaction }])
        {
            DownState = Model.DownState.Present,
            DownOperations = [new Model.OtherStatementChange("inverse", true)],
        };
        var rules = new Analysis.MigrationAnalyzer().Analyze(migration)
            .Where(f => f.Severity >= Severity.Warning && f.RuleId.StartsWith("SM1", StringComparison.Ordinal))
            .Select(f => f.RuleId).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToList();
        return rules.Count == 0
            ? $"give it a lock that lets writes through, or run it when the table is quiet (dotnet safemig explain {RuleIds.ObservedBlockingLock})."
            : $"use the safe form of {string.Join(" and ", rules)} (dotnet safemig explain {rules[0]}).";
    }

    private static Finding Finding(string ruleId, ObservedStatement statement, string what) =>
        new(ruleId, Severity.Error, $"On the shadow database, {OneLine(statement.Sql)} {what}", statement.MigrationId, null);

    public static string Ms(double ms) => ms >= 1000 ? (ms / 1000).ToString("0.##", CultureInfo.InvariantCulture) + " s" : ms.ToString("0.#", CultureInfo.InvariantCulture) + " ms";

    private static string OneLine(string sql)
    {
        var line = string.Join(" ", sql.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length > 120 ? line.Substring(0, 120) + " …" : line;
    }
}
