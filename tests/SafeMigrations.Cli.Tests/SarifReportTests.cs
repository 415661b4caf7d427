using System.Text.Json.Nodes;
using NJsonSchema;
using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;

namespace SafeMigrations.Cli.Tests;

/// <summary>SARIF as code scanning expects it: valid against OASIS's schema, every rule explained, every result located under a declared root.</summary>
[TestClass]
public sealed class SarifReportTests
{
    private static readonly string Repository = Directory.CreateTempSubdirectory("safemigrations-sarif-").FullName;
    private static readonly string Project = Path.Combine(Repository, "src", "Shop", "Shop.csproj");

    [ClassInitialize]
    public static void CreateRepository(TestContext _)
    {
        Directory.CreateDirectory(Path.Combine(Repository, ".git"));
        Directory.CreateDirectory(Path.GetDirectoryName(Project)!);
    }

    [TestMethod]
    public async Task Every_rule_of_the_catalog_gets_a_full_description_and_help_and_the_report_is_valid_SARIF()
    {
        var findings = RuleCatalog.All.Select(d => Finding(d.Id, Path.Combine(Repository, "src", "Shop", "Migrations", "20260101000000_Initial.cs"))).ToList();

        var sarif = await ValidAsync(SarifReport.Write(Output(findings), Project));

        var rules = sarif["runs"]![0]!["tool"]!["driver"]!["rules"]!.AsArray();
        Assert.HasCount(RuleCatalog.All.Count, rules);
        foreach (var rule in rules)
        {
            var id = (string)rule!["id"]!;
            var title = (string)rule["shortDescription"]!["text"]!;
            var full = (string)rule["fullDescription"]!["text"]!;
            var help = (string)rule["help"]!["text"]!;
            Assert.AreEqual(RuleCatalog.Find(id)!.Title, title);
            Assert.AreNotEqual(title, full, $"{id}: the full description is the page's, not the title again");
            Assert.IsGreaterThan(20, full.Length, $"{id}: {full}");
            StringAssert.StartsWith(help, $"# {id}: ", $"{id}: the help is the rule page");
            StringAssert.Contains(help, "## Safe recipe", id);
            Assert.AreEqual(help, (string)rule["help"]!["markdown"]!);
        }
    }

    [TestMethod]
    public async Task Results_are_relative_to_the_repository_root_declared_as_SRCROOT_and_a_finding_without_a_file_is_on_the_project()
    {
        var inRepository = Finding("SM1001", Path.Combine(Repository, "src", "Shop", "Migrations", "20260101000000_Add Index.cs"));
        var outside = Finding("SM1011", "/elsewhere/Migration.cs");
        var loadError = Finding("SM3004", file: null);

        var run = (await ValidAsync(SarifReport.Write(Output([inRepository, outside, loadError]), Project)))["runs"]![0]!;

        Assert.AreEqual(new Uri(Repository + Path.DirectorySeparatorChar).AbsoluteUri, (string)run["originalUriBaseIds"]!["%SRCROOT%"]!["uri"]!);
        var locations = run["results"]!.AsArray().Select(r => r!["locations"]![0]!["physicalLocation"]!).ToList();
        Assert.AreEqual("src/Shop/Migrations/20260101000000_Add%20Index.cs", (string)locations[0]["artifactLocation"]!["uri"]!);
        Assert.AreEqual("%SRCROOT%", (string)locations[0]["artifactLocation"]!["uriBaseId"]!);
        Assert.AreEqual(12, (int)locations[0]["region"]!["startLine"]!);
        Assert.AreEqual("file:///elsewhere/Migration.cs", (string)locations[1]["artifactLocation"]!["uri"]!);
        Assert.IsNull(locations[1]["artifactLocation"]!["uriBaseId"]);
        Assert.AreEqual("src/Shop/Shop.csproj", (string)locations[2]["artifactLocation"]!["uri"]!, "code scanning shows a result only with a location");
        Assert.AreEqual(1, (int)locations[2]["region"]!["startLine"]!);
    }

    private static HostOutput Output(IReadOnlyList<FindingOutput> findings) => new("check", "10.0.4", [], findings);

    private static FindingOutput Finding(string ruleId, string? file) =>
        new(ruleId, Severity.Error, $"{ruleId} was found.", file, file is null ? null : 12, file is null ? null : 13, file is null ? null : "20260101000000_Initial", "ShopContext", null);

    private static async Task<JsonNode> ValidAsync(string sarif)
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "Schemas", "sarif-schema-2.1.0.json"));
        var errors = schema.Validate(sarif);
        Assert.IsEmpty(errors, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}")) + "\n" + sarif);
        return JsonNode.Parse(sarif)!;
    }
}
