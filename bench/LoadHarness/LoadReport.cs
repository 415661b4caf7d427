using System.Globalization;
using System.Text;

namespace LoadHarness;

/// <summary>What a variant did to the application, in figures: latency before and during its migrations, the longest stall, failed requests by release.</summary>
internal sealed record VariantFigures(VariantRun Run)
{
    private IReadOnlyList<RequestRecord> Before => Run.Requests.Where(r => r.DueSeconds < Run.BaselineEnd).ToList();

    private IReadOnlyList<RequestRecord> During => Run.Requests.Where(r => Run.Migrations.Any(w => r.DueSeconds >= w.Start && r.DueSeconds <= w.End)).ToList();

    /// <summary>The longest any request waited, from when it was due, over the whole run.</summary>
    public double LongestStallMs => Run.Requests.Select(r => r.LatencyMs).DefaultIfEmpty(0).Max();

    public double P50Before => Percentile(Before, 0.50);

    public double P99Before => Percentile(Before, 0.99);

    public double P50During => Percentile(During, 0.50);

    public double P99During => Percentile(During, 0.99);

    public double MaxDuring => During.Select(r => r.LatencyMs).DefaultIfEmpty(0).Max();

    /// <summary>p99 of the requests due within <paramref name="window"/>.</summary>
    public double P99Within(Window window) => Percentile(Run.Requests.Where(r => r.DueSeconds >= window.Start && r.DueSeconds <= window.End).ToList(), 0.99);

    public int Failed(string release) => Run.Requests.Count(r => r.Failed && r.Release == release);

    /// <summary>The most frequent error, to say what failed.</summary>
    public string? TypicalError => Run.Requests.Where(r => r.Failed).GroupBy(r => r.Error).OrderByDescending(g => g.Count()).Select(g => $"{g.First().Release}: {g.Key}").FirstOrDefault();

    private static double Percentile(IReadOnlyList<RequestRecord> requests, double quantile)
    {
        if (requests.Count == 0)
        {
            return 0;
        }

        var sorted = requests.Select(r => r.LatencyMs).Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
    }
}

internal static class LoadReport
{
    public static string Table(IEnumerable<VariantFigures> figures)
    {
        var text = new StringBuilder()
            .AppendLine("| Scenario (rule) | Variant | Migration | Longest stall | p50 before → during | p99 before → during | Failed: previous / new | Migration outcome |")
            .AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var f in figures)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {f.Run.Scenario.Name} ({f.Run.Scenario.RuleId}) | {f.Run.Variant} | {Seconds(f.Run.MigrationSeconds)} | {Ms(f.LongestStallMs)} | {Ms(f.P50Before)} → {Ms(f.P50During)} | {Ms(f.P99Before)} → {Ms(f.P99During)} | {f.Failed("previous")} / {f.Failed("new")} | {Outcome(f)} |");
        }

        return text.ToString();
    }

    /// <summary>Latency of every request over time, by release, failures marked, migration windows shaded.</summary>
    public static void Plot(VariantRun run, string path, Window? also = null)
    {
        var plot = new ScottPlot.Plot();
        foreach (var window in also is null ? run.Migrations : [.. run.Migrations, also])
        {
            var span = plot.Add.HorizontalSpan(window.Start, window.End);
            span.FillStyle.Color = (window.What switch { "contract" => ScottPlot.Colors.Purple, "reports" => ScottPlot.Colors.Gray, _ => ScottPlot.Colors.Orange }).WithAlpha(0.2);
            span.LegendText = window.What;
        }

        foreach (var (release, color) in new[] { ("previous", ScottPlot.Colors.SteelBlue), ("new", ScottPlot.Colors.DarkOrange) })
        {
            var ok = run.Requests.Where(r => r.Release == release && !r.Failed).ToList();
            if (ok.Count > 0)
            {
                var points = plot.Add.ScatterPoints(ok.Select(r => r.DueSeconds).ToArray(), ok.Select(r => r.LatencyMs).ToArray(), color);
                points.MarkerSize = 3;
                points.LegendText = release + " release";
            }
        }

        var failed = run.Requests.Where(r => r.Failed).ToList();
        if (failed.Count > 0)
        {
            var points = plot.Add.ScatterPoints(failed.Select(r => r.DueSeconds).ToArray(), failed.Select(r => r.LatencyMs).ToArray(), ScottPlot.Colors.Red);
            points.MarkerShape = ScottPlot.MarkerShape.Cross;
            points.MarkerSize = 6;
            points.LegendText = "failed";
        }

        plot.Title($"{run.Scenario.Name} ({run.Scenario.RuleId}), {run.Variant}");
        plot.XLabel("seconds");
        plot.YLabel("latency from when due (ms)");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.Axes.SetLimitsY(0, Math.Max(50, run.Requests.Select(r => r.LatencyMs).DefaultIfEmpty(0).Max() * 1.1));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 380);
    }

    private static string Outcome(VariantFigures f) =>
        f.Run.MigrationError is { } error ? "failed: " + Short(error) : f.TypicalError is { } typical ? "applied; requests failed with " + Short(typical) : "applied";

    private static string Short(string text)
    {
        var line = text.ReplaceLineEndings(" ").Replace("|", "/", StringComparison.Ordinal);
        return line.Length > 90 ? line[..90] + " …" : line;
    }

    private static string Ms(double ms) => ms >= 1000 ? (ms / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s" : ms.ToString("0", CultureInfo.InvariantCulture) + " ms";

    private static string Seconds(double s) => s.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
