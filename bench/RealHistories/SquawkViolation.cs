namespace RealHistories;

/// <summary>One entry of squawk's JSON report; <paramref name="Line"/> is 1-based.</summary>
internal sealed record SquawkViolation(string FileName, string Rule, string Level, int Line, string Message);
