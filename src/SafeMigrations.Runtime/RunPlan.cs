using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Runtime;

/// <summary>
/// Which migrations an apply runs, decided from what is known before anything runs: the context's migrations,
/// what the database applied, the target and the phase asked for. Pure: no database, so it is tested on its own.
/// </summary>
/// <param name="ToApply">In order.</param>
/// <param name="Remaining">Pending migrations the target or the phase left for later.</param>
/// <param name="Notes">What the caller should know (migrations applied by another release, a target already passed, where a phase stopped).</param>
internal sealed record RunPlan(IReadOnlyList<KnownMigration> ToApply, IReadOnlyList<string> Remaining, IReadOnlyList<string> Notes)
{
    /// <exception cref="SafeMigrationException">A migration that would run out of order (SM3002), or a contract phase asked for while an expand migration is pending (SM3005).</exception>
    public static RunPlan Decide(IReadOnlyList<KnownMigration> all, IReadOnlyList<string> applied, Func<KnownMigration, MigrationPhase> phaseOf, SafeMigrationOptions options)
    {
        var appliedSet = applied.ToHashSet(StringComparer.Ordinal);
        var notes = applied
            .Where(id => !options.MigrationsOfOtherContexts.Contains(id) && all.All(m => m.Id != id))
            .Select(id => $"{id} is applied but not in this build (a newer release applied it?).")
            .ToList();

        var pending = all.Where(m => !appliedSet.Contains(m.Id)).ToList();
        var lastApplied = all.LastOrDefault(m => appliedSet.Contains(m.Id));
        if (lastApplied is not null && !options.AllowOutOfOrder && pending.FirstOrDefault(m => string.CompareOrdinal(m.Id, lastApplied.Id) < 0) is { } early)
        {
            throw new SafeMigrationException(RuleIds.NonLinearMigrationHistory,
                $"{early.Id} is not applied but sorts before {lastApplied.Id}, which is: it was merged after a later migration was deployed, and would run out of order. Re-create it so it comes last (dotnet ef migrations remove, then add), or allow it once (AllowOutOfOrder, dotnet safemig apply --allow-out-of-order) after checking it does not depend on order.",
                early.Id);
        }

        if (options.TargetMigration is { Length: > 0 } target && Find(all, target) is { } targetMigration)
        {
            pending = pending.Where(m => string.CompareOrdinal(m.Id, targetMigration.Id) <= 0).ToList();
            if (applied.Any(id => string.CompareOrdinal(id, targetMigration.Id) > 0))
            {
                notes.Add($"Migrations after {targetMigration.Id} are applied: apply never reverts them (use rollback --to {targetMigration.Name}).");
            }
        }

        var allPending = pending;
        if (options.Phase is { } phase)
        {
            var phases = pending.Select(m => (Migration: m, Phase: phaseOf(m))).ToList();
            if (phase == MigrationPhase.Contract && phases.Count > 0 && phases[0].Phase == MigrationPhase.Expand)
            {
                throw new SafeMigrationException(RuleIds.PreviousReleaseBroken,
                    $"The contract phase was asked for, but {phases[0].Migration.Id} (expand) is not applied yet: apply the expand phase first (--phase expand), roll the new release out to every instance, then contract.",
                    phases[0].Migration.Id);
            }

            pending = phases.TakeWhile(p => p.Phase == phase).Select(p => p.Migration).ToList();
            if (pending.Count < allPending.Count)
            {
                notes.Add($"Stopped before {allPending[pending.Count].Id} ({phases[pending.Count].Phase.ToString().ToLowerInvariant()}): run the {(phase == MigrationPhase.Expand ? "contract phase after the new release is out" : "next expand phase")}.");
            }
        }

        return new RunPlan(pending, allPending.Skip(pending.Count).Select(m => m.Id).ToList(), notes);
    }

    /// <summary>A migration by id, or by name as dotnet ef takes it.</summary>
    public static KnownMigration? Find(IReadOnlyList<KnownMigration> all, string idOrName) =>
        all.FirstOrDefault(m => string.Equals(m.Id, idOrName, StringComparison.Ordinal))
        ?? all.FirstOrDefault(m => string.Equals(m.Name, idOrName, StringComparison.OrdinalIgnoreCase));
}
