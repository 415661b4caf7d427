using SafeMigrations.Testing;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Analyzers.Tests;

[TestClass]
public sealed class DiagnosticDescriptorsTests
{
    [TestMethod]
    public void Every_core_rule_has_a_descriptor_with_the_same_title_severity_category_and_help_link()
    {
        // The build gate's checks (SM3xxx) need the model EF builds; the analyzers never report them.
        var analyzerRules = RuleCatalog.All.Except(RuleCatalog.GateDescriptors).Except(RuleCatalog.RunnerDescriptors).ToList();
        CollectionAssert.AreEquivalent(analyzerRules.Select(r => r.Id).ToList(), DiagnosticDescriptors.All.Select(d => d.Id).ToList());
        foreach (var rule in analyzerRules)
        {
            var descriptor = DiagnosticDescriptors.ById[rule.Id];
            Assert.AreEqual(rule.Title, descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture), rule.Id);
            Assert.AreEqual(DiagnosticDescriptors.ToRoslyn(rule.DefaultSeverity), descriptor.DefaultSeverity, rule.Id);
            Assert.AreEqual("SafeMigrations." + rule.Category, descriptor.Category, rule.Id);
            Assert.AreEqual(rule.HelpUri, descriptor.HelpLinkUri, rule.Id);

            // Offline, the description names the page the package ships and the tool prints.
            StringAssert.EndsWith(descriptor.Description.ToString(System.Globalization.CultureInfo.InvariantCulture), RuleIds.OfflinePage(rule.Id), rule.Id);
            Assert.IsTrue(File.Exists(Path.Combine(RepositoryRoot.Path, "docs", "rules", rule.Id + ".md")), rule.Id);
        }
    }

    [TestMethod]
    public void The_release_tracking_file_lists_every_rule()
    {
        var unshipped = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "analyzers", "SafeMigrations.Analyzers", "AnalyzerReleases.Unshipped.md"));
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            StringAssert.Contains(unshipped, $"{descriptor.Id} | {descriptor.Category} | {descriptor.DefaultSeverity} |");
        }
    }

    [TestMethod]
    public void The_package_keeps_exactly_the_model_rules_out_of_TreatWarningsAsErrors()
    {
        // dotnet ef builds the project before it scaffolds: a model finding made an error would block the command that fixes it.
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryRoot.Path, "analyzers", "SafeMigrations.Analyzers.Package", "build", "SafeMigrations.Analyzers.props"));
        var listed = props.Descendants("WarningsNotAsErrors").Single().Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(id => id != "$(WarningsNotAsErrors)").ToList();
        var modelRules = RuleCatalog.All.Select(r => r.Id).Where(id => id.StartsWith("SM2", StringComparison.Ordinal)).ToList();

        Assert.IsNotEmpty(modelRules);
        CollectionAssert.AreEquivalent(modelRules, listed, "WarningsNotAsErrors in SafeMigrations.Analyzers.props must list every SM2xxx rule and nothing else");
    }
}
