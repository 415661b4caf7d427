using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Gate;

/// <summary>Whether the gate may record new migrations (a developer's build) or only compares (CI).</summary>
public enum LockMode
{
    Update,
    Verify,
}

/// <summary>The lock check's findings, and the entries to write when the file must change.</summary>
public sealed record LockCheck(IReadOnlyList<Finding> Findings, IReadOnlyList<LockEntry> Entries, bool NeedsWrite);

/// <summary>
/// SM3002 and SM3003: compares the migrations an assembly has with the ones its lock file recorded.
/// A recorded migration must not change or vanish (databases ran it); a new one must sort after every
/// recorded one (EF applies pending migrations in id order, so one slotted in before an applied one runs
/// in a different order on each database).
/// </summary>
public static class MigrationsLockCheck
{
    /// <param name="existing">The lock file's text; null when there is none yet.</param>
    /// <param name="actual">Every migration of the assembly with its checksum.</param>
    /// <param name="locate">Where a migration's class is, for findings.</param>
    /// <param name="unfinished">
    /// Migrations the build reports errors on. A new one is not recorded yet (nor any after it, which would then sort
    /// after an unrecorded one): the fix its findings ask for would otherwise read as an edit of a recorded migration (SM3003).
    /// </param>
    /// <param name="provisional">
    /// Migrations recorded only in this working tree (their lock entries are not committed yet): nobody else can have
    /// applied them, so in update mode an edit re-records them (a recipe's prescribed hand edit after a green build)
    /// instead of SM3003.
    /// </param>
    public static LockCheck Check(
        string lockPath, string? existing, IReadOnlyList<LockEntry> actual, LockMode mode, AnalysisOptions options, Func<string, SourceLocation?> locate,
        IReadOnlyCollection<string>? unfinished = null, IReadOnlyCollection<string>? provisional = null)
    {
        if (actual is null)
        {
            throw new ArgumentNullException(nameof(actual));
        }

        options ??= AnalysisOptions.Default;
        var ordered = actual.OrderBy(e => e.MigrationId, StringComparer.Ordinal).ToList();
        var firstUnfinished = unfinished is null ? null : ordered.FirstOrDefault(e => unfinished.Contains(e.MigrationId))?.MigrationId;
        bool Recordable(LockEntry entry) => firstUnfinished is null || string.CompareOrdinal(entry.MigrationId, firstUnfinished) < 0;
        var fileLocation = new SourceLocation(lockPath, 1, 1);
        var findings = new List<Finding>();
        void Report(RuleDescriptor rule, string message, string migrationId, SourceLocation? location, Severity? severity = null)
        {
            var chosen = severity ?? options.SeverityOf(rule);
            if (chosen != Severity.None)
            {
                findings.Add(new Finding(rule.Id, chosen, message, migrationId, location ?? fileLocation));
            }
        }

        if (existing is null)
        {
            if (mode == LockMode.Verify && ordered.Count > 0)
            {
                Report(GateRules.NonLinearHistory, $"There is no migrations lock file ({lockPath}): build once without CI=true to create it, and commit it, so migrations added on two branches conflict in git.", string.Empty, fileLocation, Severity.Warning);
            }

            var first = ordered.Where(Recordable).ToList();
            return new LockCheck(findings, first, NeedsWrite: mode == LockMode.Update && first.Count > 0);
        }

        var content = MigrationsLockFile.Parse(existing);
        if (content.Conflict is { } conflict)
        {
            var mine = conflict.Ours.Where(e => !conflict.Theirs.Contains(e)).Select(e => e.MigrationId).ToList();
            var theirs = conflict.Theirs.Where(e => !conflict.Ours.Contains(e)).Select(e => e.MigrationId).ToList();
            Report(GateRules.NonLinearHistory,
                $"The migrations lock file {lockPath} has merge conflict markers: two branches added migrations (one side: {List(mine)}; the other: {List(theirs)}). Keep the side of the branch merged first (git checkout --ours or --theirs), and build: a migration of the other branch that sorts before it is then reported, to be re-created last.",
                string.Empty, fileLocation);
            return new LockCheck(findings, ordered, NeedsWrite: false);
        }

        if (content.Problem is { } problem)
        {
            Report(GateRules.DesignHostFailed,
                $"The migrations lock file {lockPath} cannot be trusted: {problem}. Restore it from git; or delete it and build to record the migrations afresh (only if no recorded migration was edited).",
                string.Empty, fileLocation);
            return new LockCheck(findings, ordered, NeedsWrite: false);
        }

        var byId = ordered.ToDictionary(e => e.MigrationId, StringComparer.Ordinal);
        var recorded = content.Entries;
        var lastPresent = recorded.LastOrDefault(e => byId.ContainsKey(e.MigrationId))?.MigrationId;
        var kept = new List<LockEntry>();
        var blocking = false;
        foreach (var entry in recorded)
        {
            if (byId.TryGetValue(entry.MigrationId, out var now))
            {
                if (now.Checksum != entry.Checksum && mode == LockMode.Update && provisional?.Contains(entry.MigrationId) == true)
                {
                    kept.Add(now); // recorded by an earlier build of this working tree only: the edit is re-recorded
                    continue;
                }

                kept.Add(entry);
                if (now.Checksum != entry.Checksum)
                {
                    blocking = true;
                    Report(GateRules.RecordedMigrationEdited,
                        $"Migration {entry.MigrationId} changed after it was recorded in {lockPath}: databases that already applied it will never run the change. Put the change in a new migration and restore this one; if it was never applied anywhere (it is new on this branch), re-record it with 'dotnet safemig lock update' or build with -p:SafeMigrationsUpdateLock=true.",
                        entry.MigrationId, locate(entry.MigrationId));
                }
            }
            else if (lastPresent is not null && string.CompareOrdinal(entry.MigrationId, lastPresent) < 0)
            {
                // A recorded migration vanished from the middle of the history ('migrations remove' only takes the last one).
                blocking = true;
                Report(GateRules.RecordedMigrationEdited,
                    $"Migration {entry.MigrationId} is recorded in {lockPath} but no longer exists: databases that applied it keep its changes, new databases will not have them. Restore it; undo what it did in a new migration instead.",
                    entry.MigrationId, fileLocation);
            }
        }

        var lastKept = kept.LastOrDefault()?.MigrationId;
        var added = new List<LockEntry>();
        foreach (var migration in ordered.Where(m => !recorded.Any(e => e.MigrationId == m.MigrationId)))
        {
            if (lastKept is not null && string.CompareOrdinal(migration.MigrationId, lastKept) < 0)
            {
                blocking = true;
                Report(GateRules.NonLinearHistory,
                    $"Migration {migration.MigrationId} sorts before {lastKept}, which is already recorded in {lockPath} (two branches added migrations): databases that applied {lastKept} run it after that one, new databases before, so their schemas can differ. Re-create it so it sorts last: delete its files and run 'dotnet ef migrations add' again (or give it a later id).",
                    migration.MigrationId, locate(migration.MigrationId));
            }
            else if (mode == LockMode.Verify)
            {
                blocking = true;
                Report(GateRules.NonLinearHistory,
                    $"Migration {migration.MigrationId} is not recorded in {lockPath}: build once without CI=true (it records the migration) and commit the lock file with it, so a migration added on another branch conflicts in git.",
                    migration.MigrationId, locate(migration.MigrationId));
            }
            else if (Recordable(migration))
            {
                added.Add(migration);
            }
        }

        var entries = kept.Concat(added).OrderBy(e => e.MigrationId, StringComparer.Ordinal).ToList();
        var changed = !entries.SequenceEqual(recorded);
        return new LockCheck(findings, entries, NeedsWrite: mode == LockMode.Update && !blocking && changed);
    }

    /// <summary>Records the migrations as they are now, edited ones included ('safemig lock update').</summary>
    public static IReadOnlyList<LockEntry> Rerecord(IReadOnlyList<LockEntry> actual) =>
        actual.OrderBy(e => e.MigrationId, StringComparer.Ordinal).ToList();

    private static string List(IReadOnlyList<string> ids) => ids.Count == 0 ? "none" : string.Join(", ", ids);
}
