namespace RealHistories;

/// <summary>The SQL EF Core and Npgsql generate for one migration's Up, or why they could not.</summary>
/// <param name="SourceFile">The migration's file, relative to the migrations folder.</param>
/// <param name="WithTargetModel">Generated with the migration's target model, as EF's migrator does, because without a model it failed.</param>
internal sealed record MigrationSql(string Id, string SourceFile, IReadOnlyList<GeneratedCommand> Commands, string? Error, bool WithTargetModel = false)
{
    public bool Generated => Error is null;
}
