using Microsoft.CodeAnalysis;

namespace RealHistories;

/// <summary>A history's migrations compiled in memory, and what it took: stubs declared, files dropped.</summary>
/// <param name="HarnessTrees">The sources the harness added (stubs, implicit usings), which are not the history's.</param>
/// <param name="ImplicitUsings">Whether the SDK's implicit global usings were added (the files rely on them).</param>
/// <param name="MigrationsFound">The [Migration("…")] ids written in all the folder's files, compiled or not.</param>
/// <param name="RemainingErrors">Errors no input file could be dropped for (in the harness's sources); empty when the compilation is clean.</param>
internal sealed record CompiledHistory(
    Compilation Compilation,
    IReadOnlySet<SyntaxTree> HarnessTrees,
    bool ImplicitUsings,
    int FileCount,
    IReadOnlyCollection<string> MigrationsFound,
    StubSource Stubs,
    IReadOnlyList<DroppedFile> Dropped,
    IReadOnlyList<string> RemainingErrors);
