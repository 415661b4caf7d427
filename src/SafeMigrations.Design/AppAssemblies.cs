using System.Reflection;

namespace SafeMigrations.Design;

/// <summary>
/// Loads the app's assemblies from its own dependency context and checks that what the gate needs is
/// there, before any EF type is touched: a missing Design package must be a clear message, not a
/// FileNotFoundException from the JIT.
/// </summary>
internal sealed record AppAssemblies(Assembly Target, Assembly Startup, string TargetPath)
{
    public const string DesignPackage = "Microsoft.EntityFrameworkCore.Design";

    public static AppAssemblies Load(string assemblyPath, string? startupPath)
    {
        var target = LoadOne(assemblyPath, "--assembly");
        var startup = startupPath is null || SamePath(startupPath, assemblyPath) ? target : LoadOne(startupPath, "--startup-assembly");
        Require(DesignPackage, $"{Name(startup)} does not reference {DesignPackage}, which runs EF Core's design-time services (as dotnet ef does). Add it: dotnet add package {DesignPackage} (PrivateAssets=all is fine).");
        Require("Microsoft.EntityFrameworkCore.Relational", $"{Name(startup)} uses no relational EF Core provider: the gate checks migrations, which only relational providers have.");
        var ef = Require("Microsoft.EntityFrameworkCore", $"{Name(target)} does not reference EF Core.");
        if (ef.GetName().Version is { Major: < 8 } version)
        {
            throw new DesignHostException($"{Name(startup)} uses EF Core {version.Major}.{version.Minor}: the gate needs EF Core 8 or later. Upgrade the EF Core packages.");
        }

        return new AppAssemblies(target, startup, Path.GetFullPath(assemblyPath));
    }

    private static Assembly LoadOne(string path, string option)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new DesignHostException($"The build output {full} ({option}) does not exist: build the project first (dotnet build), or run without --no-build.");
        }

        // The app's deps.json lists its own assemblies, so they load by name into the default context, as EF's tools load them.
        try
        {
            return Assembly.Load(new AssemblyName(Path.GetFileNameWithoutExtension(full)));
        }
        catch (FileNotFoundException)
        {
            return Assembly.LoadFrom(full);
        }
        catch (BadImageFormatException e)
        {
            throw new DesignHostException($"{full} is not a .NET assembly the host can load ({e.Message}). The gate supports .NET 8+ projects; .NET Framework and netstandard projects need a .NET startup project.", e);
        }
    }

    private static Assembly Require(string name, string message)
    {
        try
        {
            return Assembly.Load(new AssemblyName(name));
        }
        catch (FileNotFoundException e)
        {
            throw new DesignHostException(message, e);
        }
    }

    private static bool SamePath(string left, string right) =>
        string.Equals(Path.GetFullPath(left), Path.GetFullPath(right), StringComparison.Ordinal);

    private static string Name(Assembly assembly) => assembly.GetName().Name ?? "The app";
}
