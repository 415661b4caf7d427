namespace RealHistories;

/// <summary>One MigrationCommand EF generated: its SQL, and whether EF runs it outside the migration's transaction.</summary>
internal sealed record GeneratedCommand(string Sql, bool TransactionSuppressed);
