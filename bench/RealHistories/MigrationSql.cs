namespace RealHistories;

/// <summary>The SQL EF Core and Npgsql generate for one migration's Up, or why they could not.</summary>
/// <param name="SourceFile">The migration's file, relative to the migrations folder.</param>
/// <param name="WithoutTargetModel">Generated without the migration's target model (no Designer, or its model could not be used), unlike EF's migrator.</param>
internal sealed record MigrationSql(string Id, string SourceFile, IReadOnlyList<GeneratedCommand> Commands, string? Error, bool WithoutTargetModel = false)
{
    public bool Generated => Error is null;
}
