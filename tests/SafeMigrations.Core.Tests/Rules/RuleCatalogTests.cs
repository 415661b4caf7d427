using System.Reflection;
using System.Text.RegularExpressions;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Tests.Rules;

/// <summary>The catalog, the rule classes and docs/rules must agree: ids are a contract.</summary>
[TestClass]
public sealed class RuleCatalogTests
{
    private static readonly string RepositoryRoot = Testing.RepositoryRoot.Path;

    [TestMethod]
    public void Every_id_constant_has_exactly_one_descriptor_and_ids_are_well_formed()
    {
        var constants = typeof(RuleIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetValue(null)!)
            .OrderBy(id => id, StringComparer.Ordinal)
            .ToList();

        CollectionAssert.AreEqual(constants, RuleCatalog.All.Select(d => d.Id).ToList());
        Assert.IsTrue(constants.All(id => Regex.IsMatch(id, "^SM[0-4][0-9]{3}$")));
        Assert.HasCount(constants.Count, constants.Distinct());
    }

    [TestMethod]
    public void Every_rule_has_a_page_whose_title_and_severity_match_the_descriptor()
    {
        foreach (var rule in RuleCatalog.All)
        {
            var path = Path.Combine(RepositoryRoot, "docs", "rules", rule.Id + ".md");
            Assert.IsTrue(File.Exists(path), $"docs/rules/{rule.Id}.md is missing");
            var text = File.ReadAllText(path);
            StringAssert.StartsWith(text, $"# {rule.Id}: {rule.Title}\n", $"title of {rule.Id}");
            StringAssert.Contains(text, $"| Default severity | {rule.DefaultSeverity} |", $"severity of {rule.Id}");
            foreach (var section in new[] { "## What it detects", "## Why it is unsafe on PostgreSQL", "## Safe recipe", "## Violating example", "## Compliant example" })
            {
                StringAssert.Contains(text, section, $"{rule.Id} lacks '{section}'");
            }

            Assert.IsTrue(rule.HelpUri.Length == 0 || rule.HelpUri.EndsWith($"docs/rules/{rule.Id}.md", StringComparison.Ordinal), rule.HelpUri);
        }
    }

    [TestMethod]
    public void No_page_documents_a_rule_the_catalog_does_not_have_and_the_index_lists_them_all()
    {
        var pages = Directory.GetFiles(Path.Combine(RepositoryRoot, "docs", "rules"), "SM*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(RuleCatalog.All.Select(d => d.Id).ToList(), pages);
        var index = File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "rules", "README.md"));
        foreach (var rule in RuleCatalog.All)
        {
            StringAssert.Contains(index, $"[{rule.Id}]({rule.Id}.md)");
        }
    }

    [TestMethod]
    public void Each_rule_is_a_sealed_class_in_its_own_file_named_after_it()
    {
        var rules = RuleCatalog.MigrationRules.Select(r => (r.GetType(), r.Descriptor))
            .Concat(RuleCatalog.ModelRules.Select(r => (r.GetType(), r.Descriptor)))
            .ToList();
        foreach (var (type, descriptor) in rules)
        {
            Assert.IsTrue(type.IsSealed, type.Name);
            Assert.EndsWith("Rule", type.Name);
            var file = Path.Combine(RepositoryRoot, "src", "SafeMigrations.Core", "Rules", "Catalog", type.Name + ".cs");
            Assert.IsTrue(File.Exists(file), file);
            StringAssert.Contains(File.ReadAllText(file), "RuleIds." + ConstantNameOf(descriptor.Id));
        }

        Assert.HasCount(rules.Count, rules.Select(r => r.Descriptor.Id).Distinct());
    }

    [TestMethod]
    public void Rules_ask_the_lock_catalog_instead_of_naming_lock_levels()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot, "src", "SafeMigrations.Core", "Rules", "Catalog"), "*.cs"))
        {
            Assert.IsFalse(Regex.IsMatch(File.ReadAllText(file), @"LockLevel\.(AccessExclusive|Exclusive|ShareRowExclusive|Share|ShareUpdateExclusive|RowExclusive|AccessShare)\b"),
                $"{Path.GetFileName(file)} names a lock level: ask LockCatalog.LockFor(change), so one table of PostgreSQL's locks serves every rule");
        }
    }

    private static string ConstantNameOf(string id) =>
        typeof(RuleIds).GetFields(BindingFlags.Public | BindingFlags.Static).Single(f => f.IsLiteral && (string)f.GetValue(null)! == id).Name;
}
