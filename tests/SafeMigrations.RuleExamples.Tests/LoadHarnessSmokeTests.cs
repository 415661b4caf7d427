namespace SafeMigrations.RuleExamples.Tests;

/// <summary>
/// The load harness (bench/LoadHarness) in a reduced run, so it cannot rot: 20,000 rows, short phases, the index
/// and rename scenarios. The full run (2 million rows, every scenario) is `dotnet run --project bench/LoadHarness -c Release`.
/// </summary>
[TestClass]
public sealed class LoadHarnessSmokeTests
{
    [TestMethod]
    public async Task A_reduced_run_shows_the_naive_rename_failing_the_previous_release_and_the_safe_one_failing_no_request()
    {
        using var log = new StringWriter();
        var table = await LoadHarness.LoadRun.RunAsync(["--smoke", "--scenarios", "SM1001,SM1009"], log);
        var rows = table.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| Scenario", StringComparison.Ordinal)).ToList();
        Assert.HasCount(4, rows, log.ToString());
        string Row(string rule, string variant) => rows.Single(r => r.Contains($"({rule}) | {variant} |", StringComparison.Ordinal));
        int[] Failed(string row) => row.Split('|')[7].Split('/').Select(n => int.Parse(n.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        // A rename in place breaks the release that still uses the old name; the safe recipe breaks no one.
        Assert.IsGreaterThan(0, Failed(Row("SM1009", "naive"))[0], log.ToString());
        CollectionAssert.AreEqual(new[] { 0, 0 }, Failed(Row("SM1009", "safe")), log.ToString());
        CollectionAssert.AreEqual(new[] { 0, 0 }, Failed(Row("SM1001", "safe")), log.ToString());
        StringAssert.Contains(Row("SM1001", "safe"), "| applied |", log.ToString());
    }
}
