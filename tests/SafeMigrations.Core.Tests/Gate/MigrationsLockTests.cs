using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Gate;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Tests.Gate;

[TestClass]
public sealed class MigrationsLockTests
{
    private const string LockPath = "Migrations/TodoDbContext.migrations.lock";

    private static readonly LockEntry Initial = new("20260101000000_Initial", MigrationsLockFile.Checksum("create users"));
    private static readonly LockEntry AddPriority = new("20260201000000_AddPriority", MigrationsLockFile.Checksum("add priority"));
    private static readonly LockEntry AddNickname = new("20260301000000_AddNickname", MigrationsLockFile.Checksum("add nickname"));

    [TestMethod]
    public void A_new_migration_the_build_fails_on_is_not_recorded_yet_nor_any_after_it()
    {
        var existing = MigrationsLockFile.Render("TodoDbContext", [Initial]);
        string[] failing = [AddPriority.MigrationId];

        var first = MigrationsLockCheck.Check(LockPath, existing, [Initial, AddPriority, AddNickname], LockMode.Update, AnalysisOptions.Default, _ => null, failing);
        var fixedLater = MigrationsLockCheck.Check(LockPath, existing, [Initial, AddPriority with { Checksum = MigrationsLockFile.Checksum("add priority, fixed") }, AddNickname], LockMode.Update, AnalysisOptions.Default, _ => null);
        var fresh = MigrationsLockCheck.Check(LockPath, existing: null, [Initial, AddPriority, AddNickname], LockMode.Update, AnalysisOptions.Default, _ => null, failing);

        Assert.IsEmpty(first.Findings);
        Assert.IsFalse(first.NeedsWrite, "nothing new to record before the failing migration");
        Assert.IsEmpty(fixedLater.Findings, "its fix is not an edit of a recorded migration");
        Assert.HasCount(3, fixedLater.Entries);
        CollectionAssert.AreEqual(new[] { Initial }, fresh.Entries.ToArray());
    }

    [TestMethod]
    public void An_edit_of_a_migration_recorded_only_in_this_working_tree_is_re_recorded_not_SM3003()
    {
        var existing = MigrationsLockFile.Render("TodoDbContext", [Initial, AddPriority]);
        var edited = AddPriority with { Checksum = MigrationsLockFile.Checksum("add priority, hand-edited as the recipe says") };

        var local = MigrationsLockCheck.Check(LockPath, existing, [Initial, edited], LockMode.Update, AnalysisOptions.Default, _ => null, provisional: [AddPriority.MigrationId]);
        var committed = MigrationsLockCheck.Check(LockPath, existing, [Initial, edited], LockMode.Update, AnalysisOptions.Default, _ => null, provisional: []);
        var inCi = MigrationsLockCheck.Check(LockPath, existing, [Initial, edited], LockMode.Verify, AnalysisOptions.Default, _ => null, provisional: [AddPriority.MigrationId]);

        Assert.IsEmpty(local.Findings);
        Assert.IsTrue(local.NeedsWrite);
        CollectionAssert.AreEqual(new[] { Initial, edited }, local.Entries.ToArray());
        Assert.AreEqual(RuleIds.RecordedMigrationEdited, committed.Findings.Single().RuleId, "once committed, an edit is an edit of history");
        Assert.AreEqual(RuleIds.RecordedMigrationEdited, inCi.Findings.Single().RuleId, "CI only verifies");
    }

    [TestMethod]
    public void A_rendered_file_parses_back_to_its_entries()
    {
        var content = MigrationsLockFile.Parse(MigrationsLockFile.Render("TodoDbContext", [Initial, AddPriority]));

        Assert.IsNull(content.Problem);
        CollectionAssert.AreEqual(new[] { Initial, AddPriority }, content.Entries.ToArray());
    }

    [TestMethod]
    public void The_checksum_depends_on_the_operations_only()
    {
        Assert.AreEqual(MigrationsLockFile.Checksum("up\n AddColumn"), MigrationsLockFile.Checksum("up\n AddColumn"));
        Assert.AreNotEqual(MigrationsLockFile.Checksum("up\n AddColumn"), MigrationsLockFile.Checksum("up\n DropColumn"));
        StringAssert.StartsWith(MigrationsLockFile.Checksum(string.Empty), "h1:");
    }

    [TestMethod]
    public void Two_branches_adding_a_migration_change_the_same_sum_line()
    {
        var main = MigrationsLockFile.Render("Ctx", [Initial, AddPriority]).Split('\n');
        var branch = MigrationsLockFile.Render("Ctx", [Initial, AddNickname]).Split('\n');
        var sumLine = Array.FindIndex(main, l => l.StartsWith("sum ", StringComparison.Ordinal));

        Assert.AreEqual(sumLine, Array.FindIndex(branch, l => l.StartsWith("sum ", StringComparison.Ordinal)));
        Assert.AreNotEqual(main[sumLine], branch[sumLine], "git sees both branches change the sum line: a conflict");
    }

    [TestMethod]
    public void A_hand_edited_line_breaks_the_sum()
    {
        var text = MigrationsLockFile.Render("Ctx", [Initial, AddPriority]).Replace(AddPriority.Checksum, Initial.Checksum, StringComparison.Ordinal);

        StringAssert.Contains(MigrationsLockFile.Parse(text).Problem, "edited by hand");
        StringAssert.Contains(MigrationsLockFile.Parse("20260101000000_Initial nonsense\n").Problem, "line 1");
    }

    [TestMethod]
    public void A_first_build_records_every_migration()
    {
        var result = Check(existing: null, [Initial, AddPriority], LockMode.Update);

        Assert.IsEmpty(result.Findings);
        Assert.IsTrue(result.NeedsWrite);
        CollectionAssert.AreEqual(new[] { Initial, AddPriority }, result.Entries.ToArray());
    }

    [TestMethod]
    public void A_new_migration_after_the_recorded_ones_is_appended()
    {
        var result = Check(Render(Initial, AddPriority), [Initial, AddPriority, AddNickname], LockMode.Update);

        Assert.IsEmpty(result.Findings);
        Assert.IsTrue(result.NeedsWrite);
        Assert.AreEqual(AddNickname, result.Entries[^1]);
    }

    [TestMethod]
    public void Nothing_changed_writes_nothing()
    {
        var result = Check(Render(Initial, AddPriority), [Initial, AddPriority], LockMode.Update);

        Assert.IsEmpty(result.Findings);
        Assert.IsFalse(result.NeedsWrite);
    }

    [TestMethod]
    public void An_edited_recorded_migration_is_SM3003_at_the_migration()
    {
        var edited = AddPriority with { Checksum = MigrationsLockFile.Checksum("add priority default 2") };
        var result = Check(Render(Initial, AddPriority), [Initial, edited], LockMode.Update);

        var finding = result.Findings.Single();
        Assert.AreEqual(RuleIds.RecordedMigrationEdited, finding.RuleId);
        Assert.AreEqual(Severity.Error, finding.Severity);
        Assert.AreEqual("Migrations/20260201000000_AddPriority.cs", finding.Location!.FilePath);
        StringAssert.Contains(finding.Message, "new migration");
        Assert.IsFalse(result.NeedsWrite, "an edit is never recorded silently");
    }

    [TestMethod]
    public void A_migration_ordered_before_a_recorded_one_is_SM3002()
    {
        var early = new LockEntry("20260115000000_AddNickname", MigrationsLockFile.Checksum("add nickname"));
        var result = Check(Render(Initial, AddPriority), [Initial, early, AddPriority], LockMode.Update);

        var finding = result.Findings.Single();
        Assert.AreEqual(RuleIds.NonLinearMigrationHistory, finding.RuleId);
        StringAssert.Contains(finding.Message, "sorts before 20260201000000_AddPriority");
        Assert.IsFalse(result.NeedsWrite);
    }

    [TestMethod]
    public void Removing_the_newest_migration_drops_its_line()
    {
        var result = Check(Render(Initial, AddPriority), [Initial], LockMode.Update);

        Assert.IsEmpty(result.Findings);
        Assert.IsTrue(result.NeedsWrite);
        CollectionAssert.AreEqual(new[] { Initial }, result.Entries.ToArray());
    }

    [TestMethod]
    public void Deleting_a_migration_from_the_middle_is_SM3003()
    {
        var result = Check(Render(Initial, AddPriority, AddNickname), [Initial, AddNickname], LockMode.Update);

        Assert.AreEqual(RuleIds.RecordedMigrationEdited, result.Findings.Single().RuleId);
        StringAssert.Contains(result.Findings.Single().Message, "no longer exists");
    }

    [TestMethod]
    public void Merge_conflict_markers_are_SM3002_naming_both_sides()
    {
        var ours = MigrationsLockFile.Render("Ctx", [Initial, AddPriority]).Split('\n');
        var theirs = MigrationsLockFile.Render("Ctx", [Initial, AddNickname]).Split('\n');
        var conflicted = string.Join('\n', ours.Take(2))
            + "\n<<<<<<< HEAD\n" + ours[2] + "\n=======\n" + theirs[2] + "\n>>>>>>> branch\n"
            + ours[3] + "\n<<<<<<< HEAD\n" + ours[4] + "\n=======\n" + theirs[4] + "\n>>>>>>> branch\n";

        var result = Check(conflicted, [Initial, AddPriority, AddNickname], LockMode.Update);

        var finding = result.Findings.Single();
        Assert.AreEqual(RuleIds.NonLinearMigrationHistory, finding.RuleId);
        StringAssert.Contains(finding.Message, AddPriority.MigrationId);
        StringAssert.Contains(finding.Message, AddNickname.MigrationId);
        Assert.IsFalse(result.NeedsWrite);
    }

    [TestMethod]
    public void A_corrupt_file_is_SM3004_and_is_not_overwritten()
    {
        var result = Check("sum h1:abc\n20260101000000_Initial h1:wrong\n", [Initial], LockMode.Update);

        Assert.AreEqual(RuleIds.DesignHostFailed, result.Findings.Single().RuleId);
        StringAssert.Contains(result.Findings.Single().Message, "Restore it from git");
        Assert.IsFalse(result.NeedsWrite);
    }

    [TestMethod]
    public void Ci_only_verifies_an_unrecorded_migration_fails_and_a_missing_file_warns()
    {
        var unrecorded = Check(Render(Initial), [Initial, AddPriority], LockMode.Verify);
        Assert.AreEqual(RuleIds.NonLinearMigrationHistory, unrecorded.Findings.Single().RuleId);
        Assert.AreEqual(Severity.Error, unrecorded.Findings.Single().Severity);
        Assert.IsFalse(unrecorded.NeedsWrite);

        var missing = Check(existing: null, [Initial], LockMode.Verify);
        Assert.AreEqual(Severity.Warning, missing.Findings.Single().Severity);
        Assert.IsFalse(missing.NeedsWrite);
    }

    [TestMethod]
    public void A_configured_severity_applies()
    {
        var options = AnalysisOptions.Default with { Severities = new Dictionary<string, Severity> { [RuleIds.RecordedMigrationEdited] = Severity.None } };
        var edited = AddPriority with { Checksum = MigrationsLockFile.Checksum("changed") };

        var result = MigrationsLockCheck.Check(LockPath, Render(Initial, AddPriority), [Initial, edited], LockMode.Update, options, Locate);

        Assert.IsEmpty(result.Findings);
    }

    private static LockCheck Check(string? existing, IReadOnlyList<LockEntry> actual, LockMode mode) =>
        MigrationsLockCheck.Check(LockPath, existing, actual, mode, AnalysisOptions.Default, Locate);

    private static SourceLocation Locate(string id) => new("Migrations/" + id + ".cs", 8, 5);

    private static string Render(params LockEntry[] entries) => MigrationsLockFile.Render("TodoDbContext", entries);
}
