namespace SafeMigrations.Cli;

/// <summary>The dotnet executable: the one running this tool when it is dotnet, else from PATH.</summary>
internal static class Dotnet
{
    public static string Path { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } process && System.IO.Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? process
        : "dotnet";
}
