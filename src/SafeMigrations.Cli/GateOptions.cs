namespace SafeMigrations.Cli;

/// <summary>The options every command shares.</summary>
internal sealed record GateOptions
{
    public string? Project { get; init; }

    public string? StartupProject { get; init; }

    public IReadOnlyList<string> Contexts { get; init; } = [];

    public string Configuration { get; init; } = "Debug";

    public string? Framework { get; init; }

    public bool NoBuild { get; init; }

    public string? Baseline { get; init; }

    public int? TargetPostgresVersion { get; init; }

    public IReadOnlyList<string> Severities { get; init; } = [];

    public bool WarnOnly { get; init; }

    /// <summary>Pass the app's own output (its logging, what its startup prints) through to <see cref="AppOutput"/>.</summary>
    public bool Verbose { get; init; }

    public TextWriter AppOutput { get; init; } = Console.Error;

    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();
}
