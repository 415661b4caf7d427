using SafeMigrations.Testing;

namespace SafeMigrations.Analyzers.Tests;

/// <summary>
/// The reference backend's entity classes, DbContext and ModelSnapshot exactly as they are in the
/// repository, to be edited the way a developer would (with diagnostic markup) before analysis.
/// </summary>
internal sealed class TodoModelSources
{
    public const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly string Backend = Path.Combine(RepositoryRoot.Path, "src", "Todo.Backend");

    private readonly Dictionary<string, string> files = new(StringComparer.Ordinal)
    {
        ["Models/TodoItem.cs"] = Read("Models/TodoItem.cs"),
        ["Models/User.cs"] = Read("Models/User.cs"),
        ["Models/TodoPriority.cs"] = Read("Models/TodoPriority.cs"),
        ["Data/TodoDbContext.cs"] = Read("Data/TodoDbContext.cs"),
        ["Migrations/TodoDbContextModelSnapshot.cs"] = Read("Migrations/TodoDbContextModelSnapshot.cs"),
    };

    public static TodoModelSources Load() => new();

    /// <summary>Replaces text that must be there (so a test cannot silently edit nothing).</summary>
    public TodoModelSources Edit(string file, string find, string replace)
    {
        var text = files[file];
        Assert.Contains(find, text, $"{file} should contain: {find}");
        files[file] = text.Replace(find, replace, StringComparison.Ordinal);
        return this;
    }

    public TodoModelSources Add(string file, string text)
    {
        files[file] = text;
        return this;
    }

    /// <summary>The DbContext class name with the markup given (e.g. "{|SM2009:TodoDbContext|}").</summary>
    public TodoModelSources MarkContext(string markup) =>
        Edit("Data/TodoDbContext.cs", "public class TodoDbContext(", "public class " + markup + "(");

    public string[] Sources =>
        files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value).Append(GlobalUsings).ToArray();

    public IReadOnlyDictionary<string, string> Files => files;

    public Task VerifyAsync(string? globalConfig = null) => AnalyzerVerifier.VerifyAsync<ModelSnapshotAnalyzer>(globalConfig, Sources);

    // Entity files are compiled as the backend compiles them: with nullable reference types enabled.
    private static string Read(string relative)
    {
        var text = File.ReadAllText(Path.Combine(Backend, relative)).TrimStart('\uFEFF');
        return relative.StartsWith("Models/", StringComparison.Ordinal) || relative.StartsWith("Data/", StringComparison.Ordinal) ? "#nullable enable\n" + text : text;
    }
}
