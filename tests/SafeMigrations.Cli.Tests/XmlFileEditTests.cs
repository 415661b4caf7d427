using SafeMigrations.Cli.Init;

namespace SafeMigrations.Cli.Tests;

/// <summary>init's own edits: the project keeps its line endings and everything it had; a source already there is not added twice.</summary>
[TestClass]
public sealed class XmlFileEditTests
{
    [TestMethod]
    public void The_baseline_goes_in_a_property_group_of_its_own_and_the_file_keeps_its_line_endings()
    {
        const string project = "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\r\n  <PropertyGroup>\r\n    <TargetFramework>net10.0</TargetFramework>\r\n  </PropertyGroup>\r\n  <!-- mine -->\r\n</Project>\r\n";

        var edited = XmlFileEdit.WithBaseline(project, "20260101000000_Initial")!;

        Assert.DoesNotContain("\n", edited.Replace("\r\n", string.Empty, StringComparison.Ordinal), "CRLF stays CRLF");
        StringAssert.Contains(edited, "<SafeMigrationsBaseline>20260101000000_Initial</SafeMigrationsBaseline>");
        StringAssert.StartsWith(edited, "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\r\n  <PropertyGroup>\r\n    <TargetFramework>net10.0</TargetFramework>\r\n  </PropertyGroup>");
        StringAssert.Contains(edited, "<!-- mine -->");
        Assert.IsNull(XmlFileEdit.WithBaseline(edited, "20270101000000_Later"), "a baseline already set is the team's: left alone");
        Assert.ThrowsExactly<System.Xml.XmlException>(() => XmlFileEdit.WithBaseline("<Project><PropertyGroup></Project>", "x"));
    }

    [TestMethod]
    public void A_source_is_added_once_beside_the_others()
    {
        var created = XmlFileEdit.WithSource(null, "/feeds/safemigrations")!;
        StringAssert.Contains(created, "https://api.nuget.org/v3/index.json", "a new nuget.config keeps nuget.org");
        Assert.IsNull(XmlFileEdit.WithSource(created, "/feeds/safemigrations/"), "the same folder, spelled with a trailing slash");

        var mine = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"company\" value=\"https://nuget.example.com/v3/index.json\" />\n  </packageSources>\n</configuration>\n";
        var added = XmlFileEdit.WithSource(mine, "/feeds/safemigrations")!;
        StringAssert.Contains(added, "<add key=\"company\" value=\"https://nuget.example.com/v3/index.json\" />");
        StringAssert.Contains(added, "<add key=\"safemigrations\" value=\"/feeds/safemigrations\" />");
        StringAssert.StartsWith(added, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    }
}
