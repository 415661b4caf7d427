using System.Text.RegularExpressions;
using SafeMigrations.Testing;

namespace SafeMigrations.RuleExamples.Tests;

/// <summary>A step of a page's safe recipe: one migration, and what it is allowed to do.</summary>
/// <param name="IsBackfill">A backfill may change existing rows (that is its job), with row locks only.</param>
/// <param name="AfterRelease">
/// The step ships once the release before it has changed the application as the page says (stopped
/// using a column, stopped writing NULL or long values): what that release no longer does may break.
/// </param>
internal sealed record RecipeStep(string Code, bool IsBackfill, bool AfterRelease);

/// <summary>
/// One rule page of docs/rules, read for the parts tests execute: the "Observed on PostgreSQL" claims,
/// the ```sql setup, the ```csharp violating example, the ```csharp recipe steps and the ```sql expect
/// query. Code blocks without a marker are illustrations and are not run.
/// </summary>
internal sealed partial class RulePage
{
    private RulePage(string id, string text)
    {
        Id = id;
        Text = text;
        var blocks = Block().Matches(text).Select(m => (Info: m.Groups["info"].Value.Trim(), Code: m.Groups["code"].Value)).ToList();
        Setup = blocks.Where(b => b.Info == "sql setup").Select(b => b.Code).ToList();
        Violating = blocks.Where(b => b.Info == "csharp violating").Select(b => b.Code).SingleOrDefault();
        Recipe = blocks.Where(b => b.Info.StartsWith("csharp recipe", StringComparison.Ordinal))
            .Select(b => new RecipeStep(b.Code, b.Info.Contains("backfill", StringComparison.Ordinal), b.Info.Contains("after-release", StringComparison.Ordinal)))
            .ToList();
        PreviousRelease = blocks.Where(b => b.Info == "sql previous-release").Select(b => b.Code).ToList();
        TargetModel = blocks.Where(b => b.Info == "csharp target-model").Select(b => b.Code).SingleOrDefault();
        Expect = blocks.Where(b => b.Info == "sql expect").Select(b => b.Code).SingleOrDefault();
        var observed = ObservedRow().Match(text);
        Claims = observed.Success ? Claims.Parse(observed.Groups["claims"].Value) : null;
    }

    public string Id { get; }

    public string Text { get; }

    public IReadOnlyList<string> Setup { get; }

    public string? Violating { get; }

    public IReadOnlyList<RecipeStep> Recipe { get; }

    public string? Expect { get; }

    /// <summary>Statements the previous release runs (besides reading and writing the columns it knew), which must keep working.</summary>
    public IReadOnlyList<string> PreviousRelease { get; }

    /// <summary>Statements on modelBuilder for every migration's target model (its Designer's BuildTargetModel).</summary>
    public string? TargetModel { get; }

    /// <summary>What the page says PostgreSQL does on the violating example; null when the row is missing.</summary>
    public Claims? Claims { get; }

    public static string Directory => Path.Combine(RepositoryRoot.Path, "docs", "rules");

    public static RulePage Load(string id) => new(id, File.ReadAllText(Path.Combine(Directory, id + ".md")).ReplaceLineEndings("\n"));

    /// <summary>The ids of every page with something to run.</summary>
    public static IEnumerable<string> Executable() =>
        System.IO.Directory.GetFiles(Directory, "SM*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal)
            .Select(id => Load(id!))
            .Where(page => page.Violating is not null || page.Recipe.Count > 0)
            .Select(page => page.Id);

    [GeneratedRegex(@"^```(?<info>[^\n]*)\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Block();

    [GeneratedRegex(@"^\| Observed on PostgreSQL \| (?<claims>[^|]*) \|$", RegexOptions.Multiline)]
    private static partial Regex ObservedRow();
}
