using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Analysis;

/// <summary>
/// An operation in the order it runs, with raw SQL already split into its statements.
/// <see cref="TopLevel"/> is the migration operation it came from (the Sql call for statements, whose
/// transaction mode each statement carries in <see cref="SqlOrigin.InsideTransaction"/>).
/// </summary>
internal sealed record AnalyzedOperation(SchemaChange Operation, SchemaChange TopLevel, int Index);
