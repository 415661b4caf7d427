using System.Globalization;
using System.Text.RegularExpressions;

namespace SafeMigrations.Gate.Tests;

/// <summary>The EF Core + Npgsql versions an app is built with.</summary>
public sealed record EfVersions(string Ef, string Npgsql, string Tool)
{
    public static readonly EfVersions Ef10 = new("10.0.4", "10.0.3", "10.0.11");
    public static readonly EfVersions Ef9 = new("9.0.10", "9.0.4", "9.0.10");
    public static readonly EfVersions Ef8 = new("8.0.30", "8.0.11", "8.0.30");

    public static EfVersions Parse(string name) => name switch
    {
        "8" => Ef8,
        "9" => Ef9,
        _ => Ef10,
    };
}

/// <summary>
/// A small shop app as a developer has it: a class library with a DbContext, an entity configured in a
/// configuration class of its own file, a design-time factory, EF Core + Npgsql, and the SafeMigrations
/// build gate from the local feed. Commands run in its folder.
/// </summary>
public sealed partial class SampleApp : IDisposable
{
    private SampleApp(string directory, EfVersions versions)
    {
        Directory = directory;
        Versions = versions;
    }

    public string Directory { get; }

    public EfVersions Versions { get; }

    /// <summary>The connection string dotnet ef uses (the factory reads SHOP_DATABASE).</summary>
    public string? Database { get; set; }

    public string MigrationsDirectory => Path.Combine(Directory, "Migrations");

    public string LockFile => Path.Combine(MigrationsDirectory, "ShopContext.migrations.lock");

    public static SampleApp Create(EfVersions versions, string? csproj = null)
    {
        var app = CreateEmpty(versions);
        app.Write("Shop.csproj", csproj ?? app.ProjectFile());
        WriteShop(app);
        return app;
    }

    /// <summary>A folder with only a nuget.config that adds the local feed: the test writes the projects.</summary>
    public static SampleApp CreateEmpty(EfVersions versions)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("safemigrations-gate-app-").FullName;
        var app = new SampleApp(directory, versions);
        app.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="safemigrations" value="{GatePackages.Feed}" />
              </packageSources>
            </configuration>
            """);
        return app;
    }

    private static void WriteShop(SampleApp app)
    {
        app.Write("Product.cs", """
            namespace Shop;

            public class Product
            {
                public long Id { get; set; }

                public string Name { get; set; } = "";

                public string? Notes { get; set; }
            }

            public class Supplier
            {
                public long Id { get; set; }

                public string Name { get; set; } = "";
            }
            """);
        app.Write("ProductConfiguration.cs", """
            using Microsoft.EntityFrameworkCore;
            using Microsoft.EntityFrameworkCore.Metadata.Builders;

            namespace Shop;

            // Fluent configuration in a file of its own: only the model EF builds shows it.
            public class ProductConfiguration : IEntityTypeConfiguration<Product>
            {
                public void Configure(EntityTypeBuilder<Product> builder)
                {
                    builder.ToTable("products");
                    builder.Property(p => p.Name).HasMaxLength(200);
                }
            }
            """);
        app.Write("ShopContext.cs", """
            using Microsoft.EntityFrameworkCore;
            using Microsoft.EntityFrameworkCore.Design;

            namespace Shop;

            public class ShopContext(DbContextOptions<ShopContext> options) : DbContext(options)
            {
                public DbSet<Product> Products => Set<Product>();

                public DbSet<Supplier> Suppliers => Set<Supplier>();

                protected override void OnModelCreating(ModelBuilder modelBuilder)
                {
                    modelBuilder.ApplyConfigurationsFromAssembly(typeof(ShopContext).Assembly);
                    modelBuilder.Entity<Supplier>().ToTable("suppliers");
                }
            }

            public class ShopContextFactory : IDesignTimeDbContextFactory<ShopContext>
            {
                public ShopContext CreateDbContext(string[] args) =>
                    new(new DbContextOptionsBuilder<ShopContext>()
                        .UseNpgsql(Environment.GetEnvironmentVariable("SHOP_DATABASE") ?? "Host=localhost;Database=shop")
                        .Options);
            }
            """);
    }

    /// <summary>The app's project; <paramref name="withSafeMigrations"/> false: a plain EF Core app, before it adopts SafeMigrations.</summary>
    public string ProjectFile(string? extraProperties = null, bool withSafeMigrations = true) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            {extraProperties}
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.EntityFrameworkCore.Design" Version="{Versions.Ef}" PrivateAssets="all" />
            <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="{Versions.Npgsql}" />
            {(withSafeMigrations ? $"<PackageReference Include=\"SafeMigrations.Build\" Version=\"{GatePackages.Version}\" PrivateAssets=\"all\" />\n    <PackageReference Include=\"SafeMigrations.Abstractions\" Version=\"{GatePackages.Version}\" />" : string.Empty)}
          </ItemGroup>
        </Project>
        """;

    public void Write(string relativePath, string text)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
    }

    public void Edit(string relativePath, string oldText, string newText)
    {
        var path = Path.IsPathRooted(relativePath) ? relativePath : Path.Combine(Directory, relativePath);
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        var occurrences = text.Split(oldText).Length - 1;
        Assert.AreEqual(1, occurrences, $"{path} should contain the text the test edits exactly once");
        File.WriteAllText(path, text.Replace(oldText, newText, StringComparison.Ordinal));
    }

    public Task<(int ExitCode, string Output)> BuildAsync(params string[] extra) =>
        Dotnet.RunAsync(Directory, ["build", "-nologo", .. extra]);

    public Task<(int ExitCode, string Output)> SafemigAsync(params string[] arguments) => SafemigInAsync(".", arguments);

    /// <summary>safemig run from a folder of the app, as a developer runs it from wherever they are.</summary>
    public Task<(int ExitCode, string Output)> SafemigInAsync(string relativeFolder, params string[] arguments) =>
        SafemigWithAsync(new Dictionary<string, string?>(), relativeFolder, arguments);

    /// <summary>safemig with environment variables of the test's (the app's configuration, say).</summary>
    public async Task<(int ExitCode, string Output)> SafemigWithAsync(IReadOnlyDictionary<string, string?> variables, string relativeFolder, params string[] arguments)
    {
        var environment = new Dictionary<string, string?>(variables) { ["SHOP_DATABASE"] = Database };
        return await Dotnet.RunProgramAsync(GatePackages.Safemig, Path.GetFullPath(Path.Combine(Directory, relativeFolder)), arguments, environment);
    }

    /// <summary>The real dotnet-ef of the app's EF version, as a local tool (EF 8's runs on this machine's newer runtime).</summary>
    public async Task<(int ExitCode, string Output)> EfAsync(params string[] arguments)
    {
        if (!File.Exists(Path.Combine(Directory, ".config", "dotnet-tools.json")) && !File.Exists(Path.Combine(Directory, "dotnet-tools.json")))
        {
            var manifest = await Dotnet.RunAsync(Directory, ["new", "tool-manifest"]);
            Assert.AreEqual(0, manifest.ExitCode, manifest.Output);
            var install = await Dotnet.RunAsync(Directory, ["tool", "install", "dotnet-ef", "--version", Versions.Tool]);
            Assert.AreEqual(0, install.ExitCode, install.Output);
        }

        return await Dotnet.RunAsync(Directory, ["ef", .. arguments], new Dictionary<string, string?> { ["SHOP_DATABASE"] = Database, ["DOTNET_ROLL_FORWARD"] = "Major" });
    }

    public string Migration(string name)
    {
        var files = System.IO.Directory.GetFiles(MigrationsDirectory, $"*_{name}.cs").Where(f => !f.EndsWith(".Designer.cs", StringComparison.Ordinal)).ToList();
        Assert.HasCount(1, files, $"migration {name} among {string.Join(", ", MigrationIds())}");
        return files[0];
    }

    public IReadOnlyList<string> MigrationIds() =>
        System.IO.Directory.GetFiles(MigrationsDirectory, "*.cs")
            .Where(f => !f.EndsWith(".Designer.cs", StringComparison.Ordinal) && !f.EndsWith("ModelSnapshot.cs", StringComparison.Ordinal))
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static int LineOf(string file, string text) =>
        File.ReadAllLines(file).Select((line, index) => (line, index)).First(entry => entry.line.Contains(text, StringComparison.Ordinal)).index + 1;

    /// <summary>The SMxxxx errors and warnings of a build's output, with file and line (0 when the finding has only a file; MSBuild prints each twice).</summary>
    public static List<(string File, int Line, string Severity, string Id, string Message)> Findings(string output) =>
        FindingLine().Matches(output)
            .Select(m => (File: m.Groups["file"].Value.Trim(), Line: m.Groups["line"].Success ? int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture) : 0, Severity: m.Groups["severity"].Value, Id: m.Groups["id"].Value, Message: m.Groups["message"].Value.Trim()))
            .DistinctBy(f => (f.File, f.Line, f.Severity, f.Id))
            .ToList();

    /// <summary>The one finding of a rule in a build's output; fails with the whole output otherwise.</summary>
    public static (string File, int Line, string Severity, string Id, string Message) One(string output, string id)
    {
        var matching = Findings(output).Where(f => f.Id == id).ToList();
        Assert.HasCount(1, matching, $"{id}: {string.Join(" | ", matching)}\n{output}");
        return matching[0];
    }

    /// <summary>The one finding of a rule in safemig's text output ("error SM1011 Migrations/…cs:13"), as a full path and line.</summary>
    public (string File, int Line) OneFromSafemig(string output, string id)
    {
        var matching = SafemigFindingLine().Matches(output).Where(m => m.Groups["id"].Value == id).ToList();
        Assert.HasCount(1, matching, $"{id}\n{output}");
        return (Path.GetFullPath(Path.Combine(Directory, matching[0].Groups["file"].Value)), int.Parse(matching[0].Groups["line"].Value, CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the temp folder is cleaned up by the OS.
        }
    }

    [GeneratedRegex(@"^[ \t]*(?<file>[^\s(][^(\n]*?)(?:\((?<line>\d+),\d+\))? ?: (?<severity>error|warning) (?<id>SM\d{4}): (?<message>.*?)(?: \[[^\]]*\])?$", RegexOptions.Multiline)]
    private static partial Regex FindingLine();

    [GeneratedRegex(@"^(?:error|warning|info)\S* (?<id>SM\d{4}) (?<file>\S+?):(?<line>\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex SafemigFindingLine();
}
