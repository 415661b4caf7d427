namespace RealHistories;

/// <summary>One generated SQL file: a migration's commands that EF runs in one transaction, or outside any.</summary>
internal sealed record SqlFile(string MigrationId, string FileName, bool InTransaction);
