using System.Globalization;

namespace LoadHarness;

/// <summary>The harness's command line: sizes, rate and phase lengths, and which scenarios to run.</summary>
internal sealed record LoadOptions
{
    /// <summary>Rows of todo_items (users: a tenth of it).</summary>
    public int Rows { get; init; } = 2_000_000;

    public int Users => Math.Max(Rows / 10, 10);

    /// <summary>Requests per second of each release.</summary>
    public int Rate { get; init; } = 100;

    public TimeSpan Baseline { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long both releases run side by side after a migration (and the new one alone after a contract).</summary>
    public TimeSpan Overlap { get; init; } = TimeSpan.FromSeconds(4);

    public IReadOnlyList<string> Scenarios { get; init; } = Scenario.All.Select(s => s.RuleId).ToList();

    /// <summary>Where the plots go (--plots; bench/run-all gives docs/benchmarks/load); null: none.</summary>
    public string? PlotDirectory { get; init; }

    public string? ConnectionString { get; init; }

    /// <summary>Also the backfill of every row: one UPDATE, batched, batched and throttled.</summary>
    public bool Backfill { get; init; } = true;

    /// <summary>A reduced run for the test suite: 20,000 rows, 1-second phases.</summary>
    public static LoadOptions Smoke(IReadOnlyList<string> scenarios) => new()
    {
        Rows = 20_000, Rate = 50, Baseline = TimeSpan.FromSeconds(1), Overlap = TimeSpan.FromSeconds(1), Scenarios = scenarios, Backfill = false,
    };

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, int fallback) => Arg(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
        var defaults = args.Contains("--smoke") ? Smoke(Scenario.All.Select(s => s.RuleId).ToList()) : new LoadOptions();
        return defaults with
        {
            Rows = Int("--rows", defaults.Rows),
            Rate = Int("--rate", defaults.Rate),
            Baseline = TimeSpan.FromSeconds(Int("--baseline", (int)defaults.Baseline.TotalSeconds)),
            Overlap = TimeSpan.FromSeconds(Int("--overlap", (int)defaults.Overlap.TotalSeconds)),
            Scenarios = Arg("--scenarios") is { } list ? list.Split(',') : defaults.Scenarios,
            PlotDirectory = Arg("--plots") ?? defaults.PlotDirectory,
            Backfill = args.Contains("--backfill") || (defaults.Backfill && !args.Contains("--no-backfill")),
            ConnectionString = Environment.GetEnvironmentVariable("SAFEMIGRATIONS_CONNECTION_STRING"),
        };
    }
}
