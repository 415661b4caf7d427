using System.Reflection;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Runtime.Tests;

/// <summary>Which migrations an apply runs, decided before anything runs: no database needed.</summary>
[TestClass]
public sealed class RunPlanTests
{
    private static readonly KnownMigration Initial = Known("20260101000000_Initial");
    private static readonly KnownMigration AddTier = Known("20260102000000_AddTier");
    private static readonly KnownMigration DropLegacy = Known("20260103000000_DropLegacy");
    private static readonly KnownMigration AddNote = Known("20260104000000_AddNote");
    private static readonly KnownMigration[] All = [Initial, AddTier, DropLegacy, AddNote];

    private static MigrationPhase Phase(KnownMigration migration) => migration == DropLegacy ? MigrationPhase.Contract : MigrationPhase.Expand;

    [TestMethod]
    public void Pending_migrations_in_order_and_a_note_for_what_another_release_applied()
    {
        var plan = RunPlan.Decide(All, [Initial.Id, "20251231000000_FromANewerRelease", "20260101000500_OtherContext"], Phase,
            new SafeMigrationOptions { MigrationsOfOtherContexts = new HashSet<string> { "20260101000500_OtherContext" } });

        CollectionAssert.AreEqual(new[] { AddTier, DropLegacy, AddNote }, plan.ToApply.ToArray());
        Assert.IsEmpty(plan.Remaining);
        StringAssert.Contains(plan.Notes.Single(), "20251231000000_FromANewerRelease is applied but not in this build");
    }

    [TestMethod]
    public void A_migration_that_sorts_before_an_applied_one_is_refused_unless_allowed()
    {
        var refused = Assert.ThrowsExactly<SafeMigrationException>(() => RunPlan.Decide(All, [Initial.Id, DropLegacy.Id], Phase, new SafeMigrationOptions()));

        Assert.AreEqual("SM3002", refused.RuleId);
        Assert.AreEqual(AddTier.Id, refused.MigrationId);
        CollectionAssert.AreEqual(new[] { AddTier, AddNote }, RunPlan.Decide(All, [Initial.Id, DropLegacy.Id], Phase, new SafeMigrationOptions { AllowOutOfOrder = true }).ToApply.ToArray());
    }

    [TestMethod]
    public void A_target_stops_there_by_id_or_name_and_says_when_later_ones_are_already_applied()
    {
        var plan = RunPlan.Decide(All, [], Phase, new SafeMigrationOptions { TargetMigration = "addtier" });

        CollectionAssert.AreEqual(new[] { Initial, AddTier }, plan.ToApply.ToArray());
        Assert.IsEmpty(plan.Notes);
        StringAssert.Contains(RunPlan.Decide(All, [Initial.Id, AddTier.Id, DropLegacy.Id], Phase, new SafeMigrationOptions { TargetMigration = AddTier.Id, AllowOutOfOrder = true }).Notes.Single(), "apply never reverts them");
    }

    [TestMethod]
    public void A_phase_runs_its_leading_migrations_and_contract_waits_for_expand()
    {
        var expand = RunPlan.Decide(All, [Initial.Id], Phase, new SafeMigrationOptions { Phase = MigrationPhase.Expand });
        CollectionAssert.AreEqual(new[] { AddTier }, expand.ToApply.ToArray());
        CollectionAssert.AreEqual(new[] { DropLegacy.Id, AddNote.Id }, expand.Remaining.ToArray());
        StringAssert.Contains(expand.Notes.Single(), $"Stopped before {DropLegacy.Id} (contract)");

        var early = Assert.ThrowsExactly<SafeMigrationException>(() => RunPlan.Decide(All, [Initial.Id], Phase, new SafeMigrationOptions { Phase = MigrationPhase.Contract }));
        Assert.AreEqual("SM3005", early.RuleId);

        var contract = RunPlan.Decide(All, [Initial.Id, AddTier.Id], Phase, new SafeMigrationOptions { Phase = MigrationPhase.Contract });
        CollectionAssert.AreEqual(new[] { DropLegacy }, contract.ToApply.ToArray());
    }

    private static KnownMigration Known(string id) => new(id, typeof(object).GetTypeInfo());
}
