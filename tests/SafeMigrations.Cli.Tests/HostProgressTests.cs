using SafeMigrations.Design.Protocol;

namespace SafeMigrations.Cli.Tests;

/// <summary>The progress lines the host writes on its channel and safemig reads back to show live.</summary>
[TestClass]
public sealed class HostProgressTests
{
    [TestMethod]
    public void A_line_reads_back_as_written()
    {
        var written = new HostProgress("Backfilled", 2, 5, "20260101120000_BackfillPriority", 1234, 50_000, 1_000_000, "UPDATE \"Todos\" SET …");

        var line = written.ToLine();

        Assert.IsTrue(HostChannel.IsProgress(line));
        Assert.AreEqual(written, HostProgress.Parse(line));
    }

    [TestMethod]
    public void A_statement_in_the_detail_stays_on_one_line_without_tabs_and_is_shortened()
    {
        var statement = "CREATE INDEX CONCURRENTLY \"IX_Todos_Title\"\n\tON \"Todos\" (\"Title\");" + new string(' ', 10) + new string('x', 200);

        var parsed = HostProgress.Parse(new HostProgress("StatementStarted", 0, 1, "m", 0, 0, 0, statement).ToLine());

        Assert.IsNotNull(parsed);
        StringAssert.StartsWith(parsed.Detail, "CREATE INDEX CONCURRENTLY \"IX_Todos_Title\"  ON \"Todos\"");
        Assert.IsFalse(parsed.Detail.Contains('\n') || parsed.Detail.Contains('\t'), parsed.Detail);
        Assert.AreEqual(120 + " …".Length, parsed.Detail.Length);
    }

    [TestMethod]
    public void Other_lines_are_not_progress()
    {
        Assert.IsNull(HostProgress.Parse("{\"command\":\"apply\"}"));
        Assert.IsNull(HostProgress.Parse("@progress\tMigrationStarted\tnot-a-number\t1\tm\t0\t0\t0\t"));
        Assert.IsNull(HostProgress.Parse("@progress\tMigrationStarted\t0"));
    }
}
