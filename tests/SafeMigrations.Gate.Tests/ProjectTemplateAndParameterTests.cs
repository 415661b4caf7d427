using SafeMigrations.Testing;

namespace SafeMigrations.Gate.Tests;

/// <summary>
/// The project template created and tested as a developer does, and the migration templates' answers to bad
/// parameters (a class of their own, so they run next to the long Todo scenario of <see cref="TemplateTests"/>).
/// </summary>
[TestClass]
public sealed class ProjectTemplateAndParameterTests
{
    [TestMethod]
    public async Task The_web_api_template_builds_with_the_gate_and_its_tests_apply_the_migrations_to_PostgreSQL()
    {
        await GatePackages.EnsureAsync();
        using var hive = new TemplateHive("Shop.ShopContext");
        await hive.InstallAsync(Path.Combine(GatePackages.Feed, $"SafeMigrations.Templates.{GatePackages.Version}.nupkg"));
        using var folder = SampleApp.CreateEmpty(EfVersions.Ef10);
        File.Delete(Path.Combine(folder.Directory, "nuget.config")); // the template writes the one naming the feed it is given
        var created = await Dotnet.RunAsync(folder.Directory, ["new", "safemig-webapi", "-n", "Acme.Notes", "-o", ".", "--no-restore", "--feed", GatePackages.Feed, "--debug:custom-hive", hive.Path]);
        Assert.AreEqual(0, created.ExitCode, created.Output);
        StringAssert.Contains(File.ReadAllText(Path.Combine(folder.Directory, "src", "Acme.Notes", "Acme.Notes.csproj")), $"Version=\"{GatePackages.Version}\"", "the project references the SafeMigrations packages released with the templates");
        StringAssert.Contains(File.ReadAllText(Path.Combine(folder.Directory, "nuget.config")), GatePackages.Feed);
        StringAssert.Contains(File.ReadAllText(Path.Combine(folder.Directory, "src", "Acme.Notes", "Properties", "launchSettings.json")), "\"ASPNETCORE_ENVIRONMENT\": \"Development\"", "dotnet run starts in Development, on the throwaway PostgreSQL");

        // From an empty NuGet cache and CLI home, as on a fresh machine: everything restores from the feed and nuget.org.
        var server = await SharedPostgres.GetAsync();
        var cache = Directory.CreateTempSubdirectory("safemigrations-webapi-cache-").FullName;
        var home = Directory.CreateTempSubdirectory("safemigrations-webapi-home-").FullName;
        var tested = await Dotnet.RunAsync(folder.Directory, ["test"], new Dictionary<string, string?> { ["SAFEMIGRATIONS_CONNECTION_STRING"] = server.ConnectionString, ["NUGET_PACKAGES"] = cache, ["DOTNET_CLI_HOME"] = home });
        Directory.Delete(cache, recursive: true);
        Directory.Delete(home, recursive: true);
        Assert.AreEqual(0, tested.ExitCode, tested.Output);
        StringAssert.Contains(tested.Output, "Passed!  - Failed:     0, Passed:     1");
        Assert.IsEmpty(SampleApp.Findings(tested.Output), "the project builds clean under the analyzers and the gate:\n" + tested.Output);

        // The gate is really wired in: a model change without its migration fails the build.
        folder.Edit("src/Acme.Notes/Data/Note.cs", "    [Column(\"created_at\")]", "    [Column(\"body\")]\n    public string? Body { get; set; }\n\n    [Column(\"created_at\")]");
        var pending = await folder.BuildAsync();
        Assert.AreNotEqual(0, pending.ExitCode);
        Assert.AreEqual("error", SampleApp.One(pending.Output, "SM3001").Severity);
    }

    [TestMethod]
    public async Task Bad_parameters_write_nothing_and_say_which_one_and_why()
    {
        await GatePackages.EnsureAsync();
        using var hive = new TemplateHive("Shop.ShopContext");
        await hive.InstallAsync(Path.Combine(RepositoryRoot.Path, "templates", "SafeMigrations.Templates", "content"));
        using var app = SampleApp.CreateEmpty(EfVersions.Ef10);

        var quoted = await hive.TryNewAsync(app, "safemig-index", "AddIndex", "--table", "todo\"items", "--column", "a", "--index-name", "ix_a");
        StringAssert.Contains(quoted.Output, "error: --table is not a PostgreSQL identifier");
        var tooLong = await hive.TryNewAsync(app, "safemig-not-null", "RequireName", "--table", "users", "--column", new string('c', 64));
        StringAssert.Contains(tooLong.Output, "error: --column is not a PostgreSQL identifier");
        StringAssert.Contains(tooLong.Output, "at most 63 bytes");
        // The check's default name is table_column_not_null: valid parts can still make it too long.
        var derived = await hive.TryNewAsync(app, "safemig-not-null", "RequireName", "--table", new string('t', 40), "--column", new string('c', 20));
        StringAssert.Contains(derived.Output, "error: --check-name (or the default <table>_<column>_not_null) is not a PostgreSQL identifier");
        var list = await hive.TryNewAsync(app, "safemig-unique", "AddUnique", "--table", "users", "--column", "email,, full_name", "--constraint-name", "uq");
        StringAssert.Contains(list.Output, "error: --column is not a comma-separated list of PostgreSQL identifiers");
        var missing = await hive.TryNewAsync(app, "safemig-constraint", "AddCheck", "--table", "users", "--constraint-name", "ck");
        StringAssert.Contains(missing.Output, "--kind check needs --expression");
        Assert.IsFalse(Directory.Exists(app.MigrationsDirectory) && Directory.EnumerateFiles(app.MigrationsDirectory).Any(), "nothing written for bad parameters");

        // A context that does not exist: the migration is written (a template cannot see the project's types) and the build names it.
        app.Write("Shop.csproj", app.ProjectFile());
        app.Write("ShopContext.cs", "namespace Shop;\n\npublic class ShopContext(Microsoft.EntityFrameworkCore.DbContextOptions<ShopContext> options) : Microsoft.EntityFrameworkCore.DbContext(options);\n");
        var restore = await Dotnet.RunAsync(app.Directory, ["restore"]);
        Assert.AreEqual(0, restore.ExitCode, restore.Output);
        var created = await hive.TryNewAsync(app, "safemig-index", "AddIndex", "--context", "NoSuchContext", "--table", "products", "--column", "name", "--index-name", "ix_products_name");
        Assert.AreEqual(0, created.ExitCode, created.Output);
        var file = app.Migration("AddIndex");
        StringAssert.Contains(File.ReadAllText(file), "namespace Shop.Migrations", "bound to the project's root namespace");
        StringAssert.Matches(Path.GetFileName(file), new System.Text.RegularExpressions.Regex(@"^\d{14}_AddIndex\.cs$"));
        var build = await app.BuildAsync();
        Assert.AreNotEqual(0, build.ExitCode);
        StringAssert.Contains(build.Output, "error CS0246: The type or namespace name 'NoSuchContext' could not be found");
        // (The IDE adds SM0005 naming the project's contexts; the command-line compiler shows no analyzer output once a build has errors.)
    }
}
