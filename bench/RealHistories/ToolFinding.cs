namespace RealHistories;

/// <summary>One finding of one tool, in the same shape for all three so they can be compared and listed together.</summary>
/// <param name="Location">file:line, relative to the history's migrations folder (C#) or to the generated SQL folder.</param>
internal sealed record ToolFinding(Tool Tool, string MigrationId, string Rule, string Severity, string Location, string Message);
