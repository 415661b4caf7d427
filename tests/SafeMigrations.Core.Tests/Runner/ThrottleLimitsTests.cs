using SafeMigrations.Core.Runner;

namespace SafeMigrations.Core.Tests.Runner;

[TestClass]
public sealed class ThrottleLimitsTests
{
    [TestMethod]
    public void The_defaults_pause_for_a_lock_pile_up_or_a_lagging_replica_and_let_an_ordinary_busy_database_through()
    {
        var limits = new ThrottleLimits();
        Assert.IsNull(limits.Exceeded(new DatabaseLoad(LockWaiters: 4, ActiveSessions: 300, ReplicaLagMs: 9_999)));
        Assert.IsNull(limits.Exceeded(new DatabaseLoad(0, 0, ReplicaLagMs: null)), "no replica, nothing to wait for");
        Assert.AreEqual("5 session(s) wait for locks (limit 5)", limits.Exceeded(new DatabaseLoad(5, 0, null)));
        Assert.AreEqual("7 session(s) wait for locks (limit 5); a replica is 12000 ms behind (limit 10000 ms)", limits.Exceeded(new DatabaseLoad(7, 0, 12_000)));
        Assert.IsNull(ThrottleLimits.Off.Exceeded(new DatabaseLoad(1000, 1000, 1e9)));
    }

    [TestMethod]
    public void The_command_line_changes_the_limits_it_names_and_says_what_it_expected_otherwise()
    {
        var limits = ThrottleLimits.Parse("lock-waiters=3, active=40,replica-lag=off,max-pause=600");
        Assert.AreEqual(3, limits.LockWaiters);
        Assert.AreEqual(40, limits.ActiveSessions);
        Assert.IsNull(limits.ReplicaLag);
        Assert.AreEqual(TimeSpan.FromMinutes(10), limits.MaxPause);
        Assert.AreEqual("40 session(s) active (limit 40)", limits.Exceeded(new DatabaseLoad(0, 40, 1e9)));
        Assert.IsTrue(ThrottleLimits.Parse("off").IsOff);
        Assert.AreEqual(new ThrottleLimits(), ThrottleLimits.Parse(string.Empty));
        // Durations take a unit; bare numbers keep their documented units (replica-lag ms, max-pause s).
        Assert.AreEqual(TimeSpan.FromSeconds(5), ThrottleLimits.Parse("replica-lag=5s").ReplicaLag);
        Assert.AreEqual(TimeSpan.FromMilliseconds(750), ThrottleLimits.Parse("replica-lag=750").ReplicaLag);
        Assert.AreEqual(TimeSpan.FromMinutes(10), ThrottleLimits.Parse("max-pause=10m").MaxPause);
        Assert.AreEqual(TimeSpan.FromMilliseconds(1500), ThrottleLimits.Parse("max-pause=1500ms").MaxPause);
        foreach (var (wrong, says) in new[]
        {
            ("lock-waiters", "expected name=value"), ("lock-waiters=0", "a count of at least 1"), ("lockwaiters=3", "a limit named lock-waiters"),
            ("active=-1", "a count of at least 1"), ("max-pause=off", "max-pause cannot be off"), ("replica-lag=5h", "a duration such as 500ms, 5s or 10m (a bare number is milliseconds)"),
        })
        {
            var message = Assert.Throws<FormatException>(() => ThrottleLimits.Parse(wrong)).Message;
            StringAssert.Contains(message, says, wrong);
            StringAssert.Contains(message, "The form: off, or lock-waiters=N", wrong);
        }
    }
}
