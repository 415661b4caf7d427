using System.Xml;
using System.Xml.Linq;

namespace SafeMigrations.Cli.Init;

/// <summary>
/// The two XML edits `init` makes itself: a package source in nuget.config, and the baseline property in the
/// migrations project. A file that does not parse is never touched (the edit is skipped and said); whitespace and
/// comments are kept, and the result must parse back before it is written.
/// </summary>
internal static class XmlFileEdit
{
    public const string SourceKey = "safemigrations";

    /// <summary>nuget.config with <paramref name="feed"/> as a source: null when it already has it, else the new text.</summary>
    public static string? WithSource(string? existing, string feed)
    {
        if (existing is null)
        {
            return $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                    <add key="{SourceKey}" value="{System.Security.SecurityElement.Escape(feed)}" />
                  </packageSources>
                </configuration>

                """;
        }

        var document = Parse(existing);
        var configuration = document.Root ?? throw new XmlException("no root element");
        var sources = configuration.Element("packageSources");
        if (sources is null)
        {
            sources = new XElement("packageSources");
            configuration.AddFirst(sources);
        }

        if (sources.Elements("add").Any(a => Same((string?)a.Attribute("value"), feed)))
        {
            return null;
        }

        var key = sources.Elements("add").Any(a => (string?)a.Attribute("key") == SourceKey) ? SourceKey + "-" + Math.Abs(feed.GetHashCode(StringComparison.Ordinal)) : SourceKey;
        sources.Add(new XElement("add", new XAttribute("key", key), new XAttribute("value", feed)));
        return Checked(document, existing);
    }

    /// <summary>The project with &lt;SafeMigrationsBaseline&gt; set, in a PropertyGroup of its own; null when it already sets one.</summary>
    public static string? WithBaseline(string project, string migrationId)
    {
        var document = Parse(project);
        var root = document.Root ?? throw new XmlException("no root element");
        var ns = root.Name.Namespace;
        if (root.Descendants(ns + "SafeMigrationsBaseline").Any())
        {
            return null;
        }

        var group = new XElement(ns + "PropertyGroup",
            new XText("\n    "),
            new XComment(" Migrations up to this one predate SafeMigrations (dotnet safemig init): they are not judged. Remove it, or build with -p:SafeMigrationsBaseline=, to judge them too. "),
            new XText("\n    "),
            new XElement(ns + "SafeMigrationsBaseline", migrationId),
            new XText("\n  "));
        var last = root.Elements(ns + "PropertyGroup").LastOrDefault();
        if (last is not null)
        {
            last.AddAfterSelf(new XText("\n  "), group);
        }
        else
        {
            root.AddFirst(new XText("\n  "), group);
        }

        return Checked(document, project);
    }

    private static XDocument Parse(string text) => XDocument.Parse(text, LoadOptions.PreserveWhitespace);

    /// <summary>The document as text with the original's line endings (XML parsing reads CRLF as LF), after making sure it reads back.</summary>
    private static string Checked(XDocument document, string original)
    {
        var text = (document.Declaration is { } declaration ? declaration + "\n" : string.Empty) + document.ToString(SaveOptions.DisableFormatting);
        Parse(text);
        text = text.EndsWith('\n') ? text : text + "\n";
        return original.Contains("\r\n", StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal) : text;
    }

    private static bool Same(string? configured, string feed) =>
        configured is not null && (string.Equals(configured.TrimEnd('/', '\\'), feed.TrimEnd('/', '\\'), StringComparison.Ordinal)
            || Path.IsPathFullyQualified(configured) && string.Equals(Path.GetFullPath(configured).TrimEnd('/', '\\'), Path.GetFullPath(feed).TrimEnd('/', '\\'), StringComparison.Ordinal));
}
