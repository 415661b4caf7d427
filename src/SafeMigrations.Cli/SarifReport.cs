using System.Text.Json;
using System.Text.Json.Nodes;
using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;

namespace SafeMigrations.Cli;

/// <summary>SARIF 2.1.0 for code-scanning UIs (GitHub, Azure DevOps): one run, the rules that fired, one result per finding.</summary>
internal static class SarifReport
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static string Write(HostOutput output, string baseDirectory)
    {
        var ruleIds = output.Findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rules = new JsonArray();
        foreach (var id in ruleIds)
        {
            var descriptor = RuleCatalog.Find(id);
            var rule = new JsonObject
            {
                ["id"] = id,
                ["name"] = Name(descriptor?.Title ?? id),
                ["shortDescription"] = new JsonObject { ["text"] = descriptor?.Title ?? id },
                ["fullDescription"] = new JsonObject { ["text"] = descriptor?.SafeRecipe ?? id },
                ["defaultConfiguration"] = new JsonObject { ["level"] = Level(descriptor?.DefaultSeverity.ToString() ?? "Warning") },
            };
            if (descriptor?.HelpUri is { Length: > 0 } help)
            {
                rule["helpUri"] = help;
            }

            rules.Add(rule);
        }

        var results = new JsonArray();
        foreach (var finding in output.Findings)
        {
            var result = new JsonObject
            {
                ["ruleId"] = finding.RuleId,
                ["ruleIndex"] = ruleIds.IndexOf(finding.RuleId),
                ["level"] = Level(finding.Severity),
                ["message"] = new JsonObject { ["text"] = finding.Message },
            };
            if (finding.File is { } file)
            {
                var region = new JsonObject { ["startLine"] = Math.Max(1, finding.Line ?? 1) };
                if (finding.Column is > 0)
                {
                    region["startColumn"] = finding.Column;
                }

                result["locations"] = new JsonArray(new JsonObject
                {
                    ["physicalLocation"] = new JsonObject
                    {
                        ["artifactLocation"] = new JsonObject { ["uri"] = Uri(file, baseDirectory) },
                        ["region"] = region,
                    },
                });
            }

            results.Add(result);
        }

        var sarif = new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = Driver(rules),
                },
                ["results"] = results,
            }),
        };
        return sarif.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
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

    private static string Level(string severity) => severity switch
    {
        "Error" => "error",
        "Warning" => "warning",
        _ => "note",
    };

    private static string Name(string title) => string.Concat(title.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    // Relative to the folder safemig ran in, so code-scanning UIs resolve it against the checkout.
    private static string Uri(string file, string baseDirectory)
    {
        var relative = Path.GetRelativePath(baseDirectory, file);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? new Uri(Path.GetFullPath(file)).AbsoluteUri
            : relative.Replace('\\', '/');
    }
}
