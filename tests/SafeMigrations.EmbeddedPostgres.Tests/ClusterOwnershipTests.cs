using System.Diagnostics;
using System.Globalization;

namespace SafeMigrations.EmbeddedPostgres.Tests;

/// <summary>
/// Another process (a second test run, safemig's throwaway server) must never take a live owner's cluster for
/// an orphan: .NET's reading of a process's start time moves by milliseconds from one call to the next.
/// </summary>
[TestClass]
public sealed class ClusterOwnershipTests
{
    [TestMethod]
    public void A_live_owner_keeps_its_cluster_and_a_dead_or_reused_pid_does_not()
    {
        var folder = Directory.CreateTempSubdirectory("safemigrations-owner-").FullName;
        using var owner = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            var start = owner.StartTime.ToUniversalTime().Ticks;
            foreach (var jitter in new[] { -TimeSpan.TicksPerMillisecond * 5, 0, TimeSpan.TicksPerMillisecond * 5 })
            {
                Record(folder, owner.Id, start + jitter);
                Assert.IsFalse(ClusterOwnership.IsOrphaned(folder), $"live owner, start read {jitter / TimeSpan.TicksPerMillisecond} ms off");
            }

            ClusterOwnership.WriteOwner(folder, owner.Id);
            Assert.IsFalse(ClusterOwnership.IsOrphaned(folder), "as recorded by WriteOwner");

            Record(folder, owner.Id, start - (TimeSpan.TicksPerSecond * 5));
            Assert.IsTrue(ClusterOwnership.IsOrphaned(folder), "the pid now belongs to a process started later: a reused pid");

            File.WriteAllText(Path.Combine(folder, "owner"), "garbage");
            Assert.IsTrue(ClusterOwnership.IsOrphaned(folder), "an unreadable owner record");

            Record(folder, owner.Id, start);
        }
        finally
        {
            owner.Kill();
            owner.WaitForExit();
        }

        Assert.IsTrue(ClusterOwnership.IsOrphaned(folder), "the owner was killed");
        Directory.Delete(folder, recursive: true);
    }

    private static void Record(string folder, int pid, long startTicks) =>
        File.WriteAllText(Path.Combine(folder, "owner"), pid.ToString(CultureInfo.InvariantCulture) + " " + startTicks.ToString(CultureInfo.InvariantCulture));
}
