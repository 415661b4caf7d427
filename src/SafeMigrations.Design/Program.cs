using System.Reflection;
using System.Runtime.Loader;

namespace SafeMigrations.Design;

/// <summary>
/// Entry point. The process runs on the application's deps.json, so EF Core, the provider and the app
/// load from the app's dependency context, exactly as under dotnet ef. The host's own assemblies must
/// not: the app may reference another version of SafeMigrations.Core. So the host runs in a load
/// context of its own that takes SafeMigrations.* from the host's folder and defers everything else to
/// the default context (one EF Core, shared with the app).
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var hostDirectory = Path.GetDirectoryName(typeof(Program).Assembly.Location)!;
        var isolated = new HostLoadContext(hostDirectory);
        // What the app does not bring (Polly for the runner's retries) comes from the host's folder.
        isolated.Resolving += (context, name) =>
            Path.Combine(hostDirectory, name.Name + ".dll") is var candidate && File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        var host = isolated.LoadFromAssemblyPath(typeof(Program).Assembly.Location);
        var run = host.GetType(typeof(DesignHost).FullName!, throwOnError: true)!
            .GetMethod(nameof(DesignHost.Run), BindingFlags.Public | BindingFlags.Static)!;
        try
        {
            return (int)run.Invoke(null, [args, Console.Out, Console.Error])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            Console.Error.WriteLine($"error SM3004: the design host failed: {e.InnerException.GetType().Name}: {e.InnerException.Message}");
            return Protocol.HostExitCodes.UsageOrLoadError;
        }
    }

    private sealed class HostLoadContext(string hostDirectory) : AssemblyLoadContext("SafeMigrations.Design")
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name?.StartsWith("SafeMigrations.", StringComparison.Ordinal) != true)
            {
                return null;
            }

            var candidate = Path.Combine(hostDirectory, assemblyName.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
