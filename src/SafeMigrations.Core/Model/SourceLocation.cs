namespace SafeMigrations.Core.Model;

/// <summary>Where an operation was written: 1-based line and column in a file (the file may be unknown).</summary>
public sealed record SourceLocation(string? FilePath, int Line, int Column)
{
    public override string ToString() => (FilePath ?? "<unknown>") + "(" + Line + "," + Column + ")";
}
