using System.Reflection;
using System.Text.Json;

namespace SafeMigrations.Cli.Init;

/// <summary>
/// This safemig's version, and where its packages are: the folder the repository packed it into (compiled in as
/// assembly metadata, used while it still holds this version's tool package), else the source NuGet recorded in
/// the .nupkg.metadata beside the extracted tool (it does for remote feeds); null: the configured sources (nuget.org).
/// `init` adds the packages of the same version from there.
/// </summary>
internal sealed record ToolOrigin(string Version, string? Source)
{
    public static ToolOrigin Current()
    {
        var assembly = typeof(ToolOrigin).Assembly;
        var version = (assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];
        var packedInto = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "SafeMigrationsPackageFolder")?.Value;
        if (packedInto is { Length: > 0 } && File.Exists(Path.Combine(packedInto, $"SafeMigrations.Cli.{version}.nupkg")))
        {
            return new ToolOrigin(version, Path.GetFullPath(packedInto));
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var metadata = Path.Combine(directory.FullName, ".nupkg.metadata");
            if (File.Exists(metadata))
            {
                return new ToolOrigin(version, SourceIn(metadata));
            }
        }

        return new ToolOrigin(version, null);
    }

    /// <summary>A local folder (or file: URI) as a full path; a remote feed as it is; null when the file says nothing.</summary>
    internal static string? SourceIn(string metadataFile)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(metadataFile));
            if (!json.RootElement.TryGetProperty("source", out var source) || source.GetString() is not { Length: > 0 } value)
            {
                return null;
            }

            return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath
                : Uri.TryCreate(value, UriKind.Absolute, out var remote) && remote.Scheme is "http" or "https" ? value
                : Path.GetFullPath(value);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
