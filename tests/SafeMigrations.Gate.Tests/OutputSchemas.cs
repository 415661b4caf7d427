using System.Text.Json.Nodes;
using NJsonSchema;
using SafeMigrations.Testing;

namespace SafeMigrations.Gate.Tests;

/// <summary>The schemas safemig's machine-readable output is published against, and a validator that fails the test with the errors.</summary>
internal static class OutputSchemas
{
    public static string Output => Path.Combine(RepositoryRoot.Path, "docs", "schemas", "safemig-output.schema.json");

    public static string Sarif => Path.Combine(AppContext.BaseDirectory, "Schemas", "sarif-schema-2.1.0.json");

    public static async Task<JsonNode> ValidAsync(string file, string schemaFile)
    {
        var schema = await JsonSchema.FromFileAsync(schemaFile);
        var text = await File.ReadAllTextAsync(file);
        var errors = schema.Validate(text);
        Assert.IsEmpty(errors, $"{file} against {Path.GetFileName(schemaFile)}: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}"))}\n{text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Validates JSON text (safemig's stdout) by writing it where the test app lives.</summary>
    public static async Task<JsonNode> ValidTextAsync(string directory, string name, string text)
    {
        var file = Path.Combine(directory, name);
        await File.WriteAllTextAsync(file, text);
        return await ValidAsync(file, Output);
    }
}
