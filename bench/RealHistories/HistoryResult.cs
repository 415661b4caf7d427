namespace RealHistories;

/// <summary>Everything measured on one history; stages that failed leave their part empty and say why in <see cref="Problems"/>.</summary>
internal sealed class HistoryResult(HistoryFolder folder)
{
    public HistoryFolder Folder { get; } = folder;

    public int FileCount { get; set; }

    public bool ImplicitUsings { get; set; }

    public int MigrationsFound { get; set; }

    public int MigrationsCompiled { get; set; }

    public IReadOnlyList<string> Stubs { get; set; } = [];

    /// <summary>Migrations the analyzers skip because their file is marked generated code.</summary>
    public IReadOnlyList<string> InGeneratedFiles { get; set; } = [];

    public IReadOnlyList<DroppedFile> Dropped { get; set; } = [];

    public IReadOnlyList<MigrationSql> Sql { get; set; } = [];

    public List<ToolFinding> Findings { get; } = [];

    /// <summary>Stage failures and analyzer exceptions: the run went on without that part.</summary>
    public List<string> Problems { get; } = [];

    public TimeSpan Elapsed { get; set; }

    public List<(string Stage, TimeSpan Time)> StageTimes { get; } = [];

    public int SqlGenerated => Sql.Count(m => m.Generated);

    /// <summary>
    /// Analyzer findings in the harness's stub DbContext: the snapshot analyzer compares the snapshot with
    /// entity classes, which are not part of a migrations folder, so it sees every entity as removed.
    /// </summary>
    public IEnumerable<ToolFinding> StubArtifacts => Findings.Where(IsStubArtifact);

    /// <summary>A tool's findings on the history itself (stub artifacts left out).</summary>
    public IEnumerable<ToolFinding> Of(Tool tool) => Findings.Where(f => f.Tool == tool && !IsStubArtifact(f));

    private static bool IsStubArtifact(ToolFinding finding) =>
        finding.Tool == Tool.Analyzers && finding.MigrationId == MigrationLocator.StubMigrationId;
}
