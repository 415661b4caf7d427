namespace SafeMigrations.Gate.Tests;

/// <summary>
/// The layout of most real apps: the DbContexts and migrations in a class library, configured by an app's
/// host builder (no design-time factory), two contexts. The gate runs in the app's build and checks the
/// library's migrations; safemig finds both from a subfolder.
/// </summary>
[TestClass]
public sealed class GateStartupProjectTests
{
    [TestMethod]
    public async Task A_class_library_with_two_contexts_is_checked_through_the_app_that_configures_them()
    {
        await GatePackages.EnsureAsync();
        var versions = EfVersions.Ef10;
        using var app = SampleApp.CreateEmpty(versions);
        app.Write("Data/Data.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.EntityFrameworkCore.Design" Version="{versions.Ef}" PrivateAssets="all" />
                <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="{versions.Npgsql}" />
              </ItemGroup>
            </Project>
            """);
        app.Write("Data/Contexts.cs", """
            using Microsoft.EntityFrameworkCore;

            namespace Data;

            public class Order
            {
                public long Id { get; set; }

                public string Code { get; set; } = "";
            }

            public class AuditEntry
            {
                public long Id { get; set; }

                public string Text { get; set; } = "";
            }

            public class OrdersContext(DbContextOptions<OrdersContext> options) : DbContext(options)
            {
                public DbSet<Order> Orders => Set<Order>();
            }

            public class AuditContext(DbContextOptions<AuditContext> options) : DbContext(options)
            {
                public DbSet<AuditEntry> Entries => Set<AuditEntry>();
            }
            """);
        app.Write("Web/Web.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <SafeMigrationsMigrationsProject>../Data/Data.csproj</SafeMigrationsMigrationsProject>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.EntityFrameworkCore.Design" Version="{versions.Ef}" PrivateAssets="all" />
                <PackageReference Include="Microsoft.Extensions.Hosting" Version="{versions.Ef}" />
                <PackageReference Include="SafeMigrations.Build" Version="{GatePackages.Version}" PrivateAssets="all" />
                <ProjectReference Include="../Data/Data.csproj" />
              </ItemGroup>
            </Project>
            """);
        app.Write("Web/Program.cs", """
            using Microsoft.EntityFrameworkCore;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            var builder = Host.CreateApplicationBuilder(args);
            builder.Services.AddDbContext<Data.OrdersContext>(o => o.UseNpgsql("Host=localhost;Database=orders;Username=app;Password=hunter2-secret", x => x.MigrationsAssembly("Data")));
            builder.Services.AddDbContext<Data.AuditContext>(o => o.UseNpgsql("Host=localhost;Database=audit", x => x.MigrationsAssembly("Data")));
            builder.Build().Run();
            """);

        // One migration per context, from the library's folder, through the app's host builder.
        var orders = await app.SafemigInAsync("Data", "migrations", "add", "Initial", "--startup-project", "../Web", "--context", "OrdersContext");
        Assert.AreEqual(0, orders.ExitCode, orders.Output);
        var audit = await app.SafemigInAsync("Data", "migrations", "add", "Initial", "--startup-project", "../Web", "--context", "AuditContext", "--no-build");
        Assert.AreEqual(0, audit.ExitCode, audit.Output);
        Assert.IsTrue(File.Exists(Path.Combine(app.Directory, "Data", "Migrations", "Audit", "AuditContextModelSnapshot.cs")), audit.Output);

        // The app's build runs the gate on the library's migrations: both contexts recorded.
        var clean = await app.BuildAsync("Web");
        Assert.AreEqual(0, clean.ExitCode, clean.Output);
        Assert.IsTrue(File.Exists(Path.Combine(app.Directory, "Data", "Migrations", "OrdersContext.migrations.lock")), clean.Output);
        Assert.IsTrue(File.Exists(Path.Combine(app.Directory, "Data", "Migrations", "Audit", "AuditContext.migrations.lock")), clean.Output);
        Assert.DoesNotContain("hunter2-secret", clean.Output);

        // A change to one context's model: SM3001 on that context's snapshot only.
        app.Edit("Data/Contexts.cs", "public string Text { get; set; } = \"\";", "public string Text { get; set; } = \"\";\n\n    public int Level { get; set; }");
        var pending = await app.BuildAsync("Web");
        Assert.AreNotEqual(0, pending.ExitCode, pending.Output);
        var sm3001 = SampleApp.One(pending.Output, "SM3001");
        Assert.AreEqual(Path.Combine(app.Directory, "Data", "Migrations", "Audit", "AuditContextModelSnapshot.cs"), sm3001.File);
        StringAssert.Contains(sm3001.Message, "AuditContext");

        // Without the app, the library's contexts cannot be created: one line that says to name the app.
        var alone = await app.SafemigInAsync(Path.Combine("Data", "Migrations"), "check", "--no-build");
        Assert.AreEqual(2, alone.ExitCode, alone.Output);
        StringAssert.Contains(alone.Output, "Data is a class library");
        StringAssert.Contains(alone.Output, "--startup-project");
    }
}
