using System.Text.Json;
using System.Text.Json.Nodes;
using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;

namespace SafeMigrations.Cli;

/// <summary>
/// SARIF 2.1.0 as code scanning (GitHub, Azure DevOps) reads it: one run; every rule that fired with its short and
/// full description, its help (the rule page, shipped in the tool) and its default level; every result located in a
/// file relative to the repository root, declared as <see cref="SourceRoot"/> in originalUriBaseIds (a finding
/// without a file of its own, such as SM3004, is located on the project file).
/// </summary>
internal static class SarifReport
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <summary>The uriBaseId of the repository root, as GitHub's documentation names it.</summary>
    public const string SourceRoot = "%SRCROOT%";

    public static string Write(HostOutput output, string projectPath)
    {
        var root = RepositoryRoot(Path.GetDirectoryName(Path.GetFullPath(projectPath))!);
        var ruleIds = output.Findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rules = new JsonArray(ruleIds.Select(id => (JsonNode)Rule(id)).ToArray());
        var results = new JsonArray();
        foreach (var finding in output.Findings.Where(f => f.Severity != Severity.None))
        {
            var region = new JsonObject { ["startLine"] = Math.Max(1, finding.File is null ? 1 : finding.Line ?? 1) };
            if (finding.File is not null && finding.Column is > 0)
            {
                region["startColumn"] = finding.Column;
            }

            results.Add(new JsonObject
            {
                ["ruleId"] = finding.RuleId,
                ["ruleIndex"] = ruleIds.IndexOf(finding.RuleId),
                ["level"] = Level(finding.Severity),
                ["message"] = new JsonObject { ["text"] = finding.Message },
                ["locations"] = new JsonArray(new JsonObject
                {
                    ["physicalLocation"] = new JsonObject
                    {
                        ["artifactLocation"] = ArtifactLocation(finding.File ?? projectPath, root),
                        ["region"] = region,
                    },
                }),
            });
        }

        var sarif = new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject { ["driver"] = Driver(rules) },
                ["originalUriBaseIds"] = new JsonObject
                {
                    [SourceRoot] = new JsonObject { ["uri"] = new Uri(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar).AbsoluteUri },
                },
                ["results"] = results,
            }),
        };
        return sarif.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>A rule as code scanning shows it: the page's "What it detects" as the full description, the whole page as help.</summary>
    private static JsonObject Rule(string id)
    {
        var descriptor = RuleCatalog.Find(id);
        var title = descriptor?.Title ?? id;
        var page = RulePages.Markdown(id);
        var help = page ?? $"{title}. {descriptor?.SafeRecipe}".Trim();
        var rule = new JsonObject
        {
            ["id"] = id,
            ["name"] = Name(title),
            ["shortDescription"] = new JsonObject { ["text"] = title },
            ["fullDescription"] = new JsonObject { ["text"] = RulePages.WhatItDetects(id) ?? descriptor?.SafeRecipe ?? title },
            ["help"] = new JsonObject { ["text"] = help, ["markdown"] = help },
            ["defaultConfiguration"] = new JsonObject { ["level"] = Level(descriptor?.DefaultSeverity ?? Severity.Warning) },
            ["properties"] = new JsonObject
            {
                ["tags"] = new JsonArray("efcore", "postgresql", "migrations", (descriptor?.Category.ToString() ?? "tool").ToLowerInvariant()),
            },
        };
        if (descriptor?.HelpUri is { Length: > 0 } helpUri)
        {
            rule["helpUri"] = helpUri;
        }

        return rule;
    }

    // No address is invented: the driver links to the rule pages only when the build was packed with one.
    private static JsonObject Driver(JsonArray rules)
    {
        var driver = new JsonObject
        {
            ["name"] = "SafeMigrations",
            ["version"] = typeof(SarifReport).Assembly.GetName().Version?.ToString(3) ?? "0.1.0",
            ["rules"] = rules,
        };
        if (RuleIds.HelpBase.Length > 0)
        {
            driver["informationUri"] = RuleIds.HelpBase;
        }

        return driver;
    }

    private static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    /// <summary>The title in PascalCase, letters and digits only ("Prefer timestamptz, text" → PreferTimestamptzText).</summary>
    private static string Name(string title) =>
        string.Concat(title.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray()))
            .Where(w => w.Length > 0)
            .Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    /// <summary>Relative to the repository root (code scanning resolves it against the checkout); a file outside it by its absolute URI.</summary>
    private static JsonObject ArtifactLocation(string file, string root)
    {
        var full = Path.GetFullPath(file);
        var relative = Path.GetRelativePath(root, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? new JsonObject { ["uri"] = new Uri(full).AbsoluteUri }
            : new JsonObject { ["uri"] = string.Join('/', relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Select(Uri.EscapeDataString)), ["uriBaseId"] = SourceRoot };
    }

    /// <summary>The folder holding .git above the project (a worktree's .git is a file); the project's folder when there is none.</summary>
    private static string RepositoryRoot(string projectDirectory)
    {
        for (var folder = new DirectoryInfo(projectDirectory); folder is not null; folder = folder.Parent)
        {
            var git = Path.Combine(folder.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return folder.FullName;
            }
        }

        return projectDirectory;
    }
}
