using System.Globalization;
using System.Net;
using System.Text;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Verify;
using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;

namespace SafeMigrations.Cli;

/// <summary>
/// The self-contained HTML page of a verify run: per context, the seeded shadow, each statement with its claimed
/// and observed lock, rewrites and timing, a lock timeline per migration (inline SVG: one row per table, one bar per
/// lock from the statement's start until the lock was released), the rollback round trip and the findings.
/// </summary>
internal static class VerifyHtmlReport
{
    private const int Width = 760;
    private const int RowHeight = 22;
    private const int Label = 180;

    public static string Render(HostOutput result)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>dotnet safemig verify</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#1f2328}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}")
            .Append("code{font-size:12px}.ok{color:#1a7f37}.bad{color:#cf222e;font-weight:bold}.finding{border-left:4px solid #cf222e;padding:4px 8px;margin:6px 0}svg text{font-size:11px}")
            .Append("</style></head><body><h1>dotnet safemig verify</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>EF Core {E(result.EfCoreVersion ?? "?")}. Every lock below was read from PostgreSQL's pg_locks while the statement ran on the shadow database; <em>claimed</em> is what SafeMigrations' lock catalog says it takes.</p>");
        foreach (var run in result.Runs.Where(r => r.Verify is not null))
        {
            var verify = run.Verify!;
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"context\"><h2>{E(run.Context ?? string.Empty)}</h2>");
            html.Append(CultureInfo.InvariantCulture, $"<p>{verify.Migrations.Count} migration(s) verified{(verify.Base is null ? string.Empty : " after " + E(verify.Base))}, on up to {verify.RowsPerTable} rows per table ({(verify.SeedNotes.Any(n => n.StartsWith("Rows copied from --from", StringComparison.Ordinal)) ? "copied from --from, tables still empty generated" : "generated")}): ")
                .Append(E(verify.Seeded.Count == 0 ? "no table to fill" : string.Join(", ", verify.Seeded.Select(s => $"{s.Key} {s.Value}")))).Append(".</p>");
            foreach (var note in verify.SeedNotes)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p>{E(note)}</p>");
            }

            foreach (var finding in result.Findings.Where(f => f.Context == run.Context && f.Severity >= Severity.Warning))
            {
                var link = RuleIds.HelpUri(finding.RuleId);
                html.Append("<div class=\"finding\">")
                    .Append(link.Length > 0 ? $"<a href=\"{E(link)}\">{E(finding.RuleId)}</a>" : $"<strong>{E(finding.RuleId)}</strong> (<code>dotnet safemig explain {E(finding.RuleId)}</code>)")
                    .Append(CultureInfo.InvariantCulture, $"{(string.IsNullOrEmpty(finding.MigrationId) ? string.Empty : " " + E(finding.MigrationId))}: {E(finding.Message)}</div>");
            }

            if (verify.UpError is { } up)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"bad\">Up failed: {E(up)}</p>");
            }

            foreach (var migration in verify.Statements.GroupBy(s => s.MigrationId))
            {
                html.Append(CultureInfo.InvariantCulture, $"<h3>{E(migration.Key)}</h3>");
                var probes = verify.Probes.Where(p => p.MigrationId == migration.Key).ToList();
                var window = Window(migration.ToList(), probes);
                html.Append(Timeline(migration.ToList(), window));
                html.Append(ApplicationChart(migration.ToList(), probes, window));
                var live = migration.Any(s => s.Impact is not null);
                html.Append("<table><tr><th>Statement</th><th>Claimed</th><th>Observed</th><th>Rewrote</th><th>Scanned</th><th>Ran</th><th>Locks held</th><th>Application stalled</th>")
                    .Append(live ? "<th>On the live database</th>" : string.Empty).Append("</tr>");
                foreach (var s in migration)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<tr class=\"statement\"><td><code>{E(OneLine(s.Sql, 160))}</code>{(s.InTransaction ? string.Empty : "<br><em>outside a transaction</em>")}</td>")
                        .Append(CultureInfo.InvariantCulture, $"<td>{E(Locks(s.Claimed))}</td><td class=\"{(s.Agrees ? "ok" : "bad")}\">{E(Locks(s.Observed))} ({E(s.Verdict)})</td>")
                        .Append(CultureInfo.InvariantCulture, $"<td>{E(s.Rewritten.Count == 0 ? "-" : string.Join(", ", s.Rewritten))}</td><td>{E(s.Scanned.Count == 0 ? "-" : string.Join(", ", s.Scanned))}</td>")
                        .Append(CultureInfo.InvariantCulture, $"<td>{E(Core.Verify.VerifyJudge.Ms(s.DurationMs))}{(s.Waits.Count == 0 ? string.Empty : "<br><em>waited: " + E(string.Join(", ", s.Waits)) + "</em>")}</td><td>{E(Held(s))}</td><td class=\"stalled\">{E(Stalled(s))}</td>")
                        .Append(live ? $"<td class=\"impact\">{E(s.Impact ?? "-")}</td>" : string.Empty).Append("</tr>");
                }

                html.Append("</table>");
            }

            if (verify.RoundTrip is { } trip)
            {
                html.Append("<h3>Rollback round trip (Up, Down, Up)</h3><ul id=\"round-trip\">")
                    .Append(trip.DownError is { } down ? $"<li class=\"bad\">Down failed: {E(down)}</li>"
                        : trip.LostByDown.Count + trip.LeftByDown.Count == 0 ? "<li class=\"ok\">Down restored the schema Up started from.</li>"
                        : string.Concat(trip.LostByDown.Select(l => $"<li class=\"bad\">missing after Down: <code>{E(l)}</code></li>").Concat(trip.LeftByDown.Select(l => $"<li class=\"bad\">left by Down: <code>{E(l)}</code></li>"))))
                    .Append(string.Concat(trip.DownNotes.Select(n => $"<li>{E(n)}</li>")))
                    .Append(trip.SecondUpError is { } again ? $"<li class=\"bad\">The second Up failed: {E(again)}</li>" : trip.DownError is null ? "<li class=\"ok\">The second Up ran.</li>" : string.Empty)
                    .Append("</ul>");
            }

            html.Append("</section>");
        }

        return html.Append("</body></html>").ToString();
    }

    /// <summary>The time both charts of a migration show: from its first statement or probe request to the last release or answer.</summary>
    private static (double Start, double Span) Window(IReadOnlyList<ObservedStatementOutput> statements, IReadOnlyList<ProbeOutput> probes)
    {
        var start = statements.Select(s => s.StartMs).Concat(probes.Select(p => p.AtMs)).Min();
        var end = statements.Select(s => s.HeldUntilMs).Concat(probes.Select(p => p.AtMs + p.Ms)).Max();
        return (start, Math.Max(end - start, 1));
    }

    /// <summary>One row per table, one bar per lock a statement held on it, from its start until the lock was released.</summary>
    private static string Timeline(IReadOnlyList<ObservedStatementOutput> statements, (double Start, double Span) window)
    {
        var tables = statements.SelectMany(s => s.Observed.Select(l => l.Table)).Distinct(StringComparer.Ordinal).ToList();
        if (tables.Count == 0)
        {
            return "<p>No lock on a table that existed before this migration (the tables it creates block no one).</p>";
        }

        var (start, span) = window;
        double X(double ms) => Label + (ms - start) / span * (Width - Label);
        var svg = new StringBuilder();
        var height = tables.Count * RowHeight + 20;
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"timeline\" width=\"{Width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"lock timeline\">");
        for (var i = 0; i < tables.Count; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{i * RowHeight + 15}\">{E(tables[i])}</text>");
        }

        foreach (var s in statements)
        {
            foreach (var held in s.Observed)
            {
                var row = tables.IndexOf(held.Table);
                var x = X(s.StartMs);
                var w = Math.Max(X(s.HeldUntilMs) - x, 2);
                svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" data-table=\"{E(held.Table)}\" data-lock=\"{E(held.Lock)}\" x=\"{x:0.#}\" y=\"{row * RowHeight + 3}\" width=\"{w:0.#}\" height=\"{RowHeight - 6}\" fill=\"{Colour(held.Lock)}\">")
                    .Append(CultureInfo.InvariantCulture, $"<title>{E(held.Lock)} on {E(held.Table)} for {E(Core.Verify.VerifyJudge.Ms(s.HeldUntilMs - s.StartMs))}: {E(OneLine(s.Sql, 80))}</title></rect>");
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Label}\" y=\"{height - 4}\">0</text><text x=\"{Width - 60}\" y=\"{height - 4}\">{E(Core.Verify.VerifyJudge.Ms(span))}</text></svg>");
        return svg.ToString();
    }

    /// <summary>
    /// The application probe's requests over the same time as the lock timeline: one dot per request (of a long run the longest of
    /// each window), how long it waited for its table on a log scale; reads blue, writes amber, a request that gave up or found
    /// its table gone a red cross. The statements' lock windows are shaded.
    /// </summary>
    private static string ApplicationChart(IReadOnlyList<ObservedStatementOutput> statements, IReadOnlyList<ProbeOutput> probes, (double Start, double Span) window)
    {
        if (probes.Count == 0)
        {
            return "<p>No existing table to probe: no request of the application could have waited.</p>";
        }

        const int Height = 190;
        const int Top = 8;
        const int Bottom = 34;
        var (start, span) = window;
        var tables = probes.Select(p => p.Table).Distinct(StringComparer.Ordinal).ToList();
        var decades = Math.Max(3, (int)Math.Ceiling(Math.Log10(Math.Max(probes.Max(p => p.Ms), 1000))));
        double X(double ms) => Label + (ms - start) / span * (Width - Label);
        // Log scale from 0.1 ms (an answer without a wait) to the decade above the longest wait.
        double Y(double ms) => Top + (Height - Top - Bottom) * (1 - (Math.Log10(Math.Clamp(ms, 0.1, Math.Pow(10, decades))) + 1) / (decades + 1));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"application\" width=\"{Width}\" height=\"{Height + tables.Count * 14}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"application requests' waits over time\">");
        foreach (var s in statements.Where(s => s.Observed.Count > 0))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(s.StartMs):0.#}\" y=\"{Top}\" width=\"{Math.Max(X(s.HeldUntilMs) - X(s.StartMs), 1):0.#}\" height=\"{Height - Top - Bottom}\" fill=\"#eaeef2\"><title>{E(OneLine(s.Sql, 80))}</title></rect>");
        }

        for (var d = -1; d <= decades; d++)
        {
            var y = Y(Math.Pow(10, d));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Label}\" x2=\"{Width}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#d0d7de\"/><text x=\"{Label - 40}\" y=\"{y + 4:0.#}\">{E(Core.Verify.VerifyJudge.Ms(Math.Pow(10, d)))}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{Top + 12}\">wait for the table lock</text><text x=\"0\" y=\"{Top + 28}\" fill=\"#0969da\">● read</text><text x=\"0\" y=\"{Top + 44}\" fill=\"#bf8700\">● write</text><text x=\"0\" y=\"{Top + 60}\" fill=\"#cf222e\">✕ gave up / failed</text>");
        for (var i = 0; i < tables.Count; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<g transform=\"translate({Label + 6},{Height + 2 + i * 14})\">{Marker(i, "#57606a")}</g><text x=\"{Label + 16}\" y=\"{Height + 6 + i * 14}\">{E(tables[i])}</text>");
        }

        foreach (var p in probes)
        {
            var x = X(p.AtMs);
            var y = Y(p.Ms);
            var title = $"<title>{E(p.Kind)} of {E(p.Table)}, sent at {E(Core.Verify.VerifyJudge.Ms(p.AtMs - start))}: {E(p.Outcome == "served" ? "waited " + Core.Verify.VerifyJudge.Ms(p.Ms) : p.Outcome == "gaveup" ? "gave up after " + Core.Verify.VerifyJudge.Ms(p.Ms) : "failed: the table was gone")}</title>";
            var colour = p.Outcome != "served" ? "#cf222e" : p.Kind == "read" ? "#0969da" : "#bf8700";
            // From when it was sent to when it was answered, at the height of its wait; the marker at its start names the table.
            var end = X(p.AtMs + p.Ms);
            if (end - x >= 2)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" x2=\"{end:0.#}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"{colour}\" stroke-width=\"1.5\"/>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"probe {E(p.Outcome)}\" data-kind=\"{E(p.Kind)}\" data-table=\"{E(p.Table)}\" data-ms=\"{p.Ms:0.#}\" transform=\"translate({x:0.#},{y:0.#})\">")
                .Append(p.Outcome == "served" ? Marker(tables.IndexOf(p.Table), colour) : "<path d=\"M-4,-4l8,8m0,-8l-8,8\" stroke=\"#cf222e\" stroke-width=\"2\"/>")
                .Append(title).Append("</g>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Label}\" y=\"{Height - Bottom + 14}\">0</text><text x=\"{(Label + Width) / 2 - 60}\" y=\"{Height - Bottom + 14}\">time since the probe started</text><text x=\"{Width - 60}\" y=\"{Height - Bottom + 14}\">{E(Core.Verify.VerifyJudge.Ms(span))}</text></svg>");
        var failed = probes.Where(p => p.Outcome == "failed").Select(p => p.Table).Distinct(StringComparer.Ordinal).ToList();
        return $"<p class=\"application\">The application meanwhile: a read and a write of {E(string.Join(", ", tables))} every {E(Core.Verify.VerifyJudge.Ms(Core.Verify.ApplicationProbes.Interval.TotalMilliseconds))}, each taking the table lock the application's statement takes ({E(Core.Verify.ProbeKind.Read.Lock().SqlName())}, {E(Core.Verify.ProbeKind.Write.Lock().SqlName())}). "
            + $"Each request is drawn at the time it was sent and the height of its wait, a line to when it was answered; the shaded bands are the statements' lock windows. Longest wait of any request: a read {E(Core.Verify.VerifyJudge.Ms(probes.Where(p => p.Kind == "read").Select(p => p.Ms).DefaultIfEmpty(0).Max()))}, a write {E(Core.Verify.VerifyJudge.Ms(probes.Where(p => p.Kind == "write").Select(p => p.Ms).DefaultIfEmpty(0).Max()))} "
            + "(the table's <em>Application stalled</em> counts only requests to the tables a statement's lock blocks, and only the part of their wait inside its window)"
            + (failed.Count == 0 ? "." : $"; requests to {E(string.Join(", ", failed))} failed: the table was gone (renamed or dropped), as it would be for the previous release.") + "</p>" + svg;
    }

    /// <summary>A marker shape per probed table (circle, square, triangle, diamond, …), centred on 0,0.</summary>
    private static string Marker(int table, string colour) => (table % 4) switch
    {
        0 => $"<circle r=\"3\" fill=\"{colour}\"/>",
        1 => $"<rect x=\"-3\" y=\"-3\" width=\"6\" height=\"6\" fill=\"{colour}\"/>",
        2 => $"<path d=\"M0,-4L3.5,3H-3.5Z\" fill=\"{colour}\"/>",
        _ => $"<path d=\"M0,-4L4,0L0,4L-4,0Z\" fill=\"{colour}\"/>",
    } + (table >= 4 ? $"<circle r=\"1\" fill=\"#ffffff\"/>" : string.Empty);

    /// <summary>
    /// How long the application probe's reads and writes of the tables the statement's locks block waited while it held them:
    /// "not blocked" when its locks let that kind through, "not sampled" when no request came meanwhile (the probe sends one every ApplicationProbes.Interval).
    /// </summary>
    public static string Stalled(ObservedStatementOutput statement)
    {
        static string One(string kind, bool blocked, double? ms) =>
            !blocked ? kind + " not blocked" : ms is { } waited ? $"{kind} {Core.Verify.VerifyJudge.Ms(waited)}" : kind + " blocked, not sampled";
        return statement.Observed.Count == 0 ? "-" : One("reads", statement.ReadsBlocked, statement.ReadsWaitedMs) + ", " + One("writes", statement.WritesBlocked, statement.WritesWaitedMs);
    }

    /// <summary>How long its locks on existing tables were held; "-" when it held none there (its own new tables block no one).</summary>
    public static string Held(ObservedStatementOutput statement) => statement.Observed.Count == 0 ? "-" : Core.Verify.VerifyJudge.Ms(statement.HeldUntilMs - statement.StartMs);

    public static string Locks(IReadOnlyList<LockOutput> locks) => locks.Count == 0 ? "none" : string.Join(", ", locks.Select(l => $"{l.Lock} {l.Table}"));

    public static string OneLine(string sql, int max)
    {
        var line = string.Join(' ', sql.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length > max ? line[..max] + " …" : line;
    }

    private static string Colour(string lockName) => lockName switch
    {
        "ACCESS EXCLUSIVE" => "#cf222e",
        "SHARE" or "SHARE ROW EXCLUSIVE" or "EXCLUSIVE" => "#bf8700",
        _ => "#1a7f37",
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
