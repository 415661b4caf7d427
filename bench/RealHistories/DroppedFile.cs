namespace RealHistories;

/// <summary>An input file left out of the compilation because it did not compile, with its first error.</summary>
internal sealed record DroppedFile(string RelativePath, int ErrorCount, string FirstError);
