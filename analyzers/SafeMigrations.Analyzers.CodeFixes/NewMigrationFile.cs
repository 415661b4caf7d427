using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SafeMigrations.Analyzers.CodeFixes;

/// <summary>
/// Adds a hand-written migration next to an existing one: [DbContext] and [Migration] attributes (EF
/// finds it without a Designer file), an id one second after the original so it runs right after it.
/// </summary>
internal static class NewMigrationFile
{
    private const string TimestampFormat = "yyyyMMddHHmmss";

    public static string NextId(string id, string name)
    {
        var stamp = id.Length >= TimestampFormat.Length ? id.Substring(0, TimestampFormat.Length) : string.Empty;
        var next = DateTime.TryParseExact(stamp, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time.AddSeconds(1)
            : DateTime.UtcNow;
        return next.ToString(TimestampFormat, CultureInfo.InvariantCulture) + "_" + name;
    }

    /// <summary>A valid, unused class name: letters and digits of <paramref name="wanted"/>, numbered if taken.</summary>
    public static string ClassName(Compilation compilation, string wanted)
    {
        var name = new string(wanted.Where(char.IsLetterOrDigit).ToArray());
        if (name.Length == 0 || char.IsDigit(name[0]))
        {
            name = "Migration" + name;
        }

        var candidate = name;
        for (var i = 2; compilation.GetSymbolsWithName(candidate, SymbolFilter.Type).Any(); i++)
        {
            candidate = name + i.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    public static Solution Add(Document next, INamedTypeSymbol migration, INamedTypeSymbol? context, string className, string id, string up, string down, string[]? attributes = null)
    {
        var ns = migration.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() : null;
        var contextAttribute = context is null ? string.Empty : $"    [DbContext(typeof({context.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}))]\n";
        var text = new StringBuilder()
            .Append("using Microsoft.EntityFrameworkCore.Infrastructure;\n")
            .Append("using Microsoft.EntityFrameworkCore.Migrations;\n\n")
            .Append("#nullable disable\n\n")
            .Append(ns is null ? string.Empty : "namespace " + ns + "\n{\n")
            .Append("    /// <inheritdoc />\n")
            .Append(contextAttribute)
            .Append("    [Migration(\"" + id + "\")]\n")
            .Append(string.Concat((attributes ?? []).Select(a => "    " + a + "\n")))
            .Append("    public partial class " + className + " : Migration\n    {\n")
            .Append("        /// <inheritdoc />\n")
            .Append("        protected override void Up(MigrationBuilder migrationBuilder)\n        {\n")
            .Append(Indent(up))
            .Append("        }\n\n")
            .Append("        /// <inheritdoc />\n")
            .Append("        protected override void Down(MigrationBuilder migrationBuilder)\n        {\n")
            .Append(Indent(down))
            .Append("        }\n    }\n")
            .Append(ns is null ? string.Empty : "}\n")
            .ToString();
        var directory = next.FilePath is { } path ? Path.GetDirectoryName(path) : null;
        var fileName = id + ".cs";
        return next.Project.AddDocument(fileName, SourceText.From(text), next.Folders, directory is null ? null : Path.Combine(directory, fileName)).Project.Solution;
    }

    /// <summary>Statement text at method-body indentation (12 spaces), as dotnet ef writes it.</summary>
    private static string Indent(string statements)
    {
        if (statements.Length == 0)
        {
            return string.Empty;
        }

        var lines = statements.Replace("\r\n", "\n").Split('\n');
        var result = new StringBuilder();
        foreach (var line in lines)
        {
            result.Append(line.Length == 0 ? string.Empty : (line.StartsWith("            ", StringComparison.Ordinal) ? line : "            " + line.TrimStart())).Append('\n');
        }

        return result.ToString();
    }
}
