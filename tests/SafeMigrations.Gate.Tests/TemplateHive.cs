namespace SafeMigrations.Gate.Tests;

/// <summary>An isolated template hive (--debug:custom-hive), so the machine's own templates stay untouched.</summary>
/// <param name="context">The DbContext instantiations name unless they pass --context.</param>
internal sealed class TemplateHive(string context) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("safemigrations-hive-").FullName;

    public async Task InstallAsync(string source)
    {
        var installed = await Dotnet.RunAsync(Path, ["new", "install", source, "--debug:custom-hive", Path]);
        Assert.AreEqual(0, installed.ExitCode, installed.Output);
    }

    /// <summary>Instantiates a template in the app's folder, in the next second, so migration ids follow the command order.</summary>
    public async Task NewAsync(SampleApp app, string template, string name, params string[] options)
    {
        var created = await TryNewAsync(app, template, name, options);
        Assert.AreEqual(0, created.ExitCode, created.Output);
        Assert.DoesNotContain("error:", created.Output, created.Output);
    }

    public async Task<(int ExitCode, string Output)> TryNewAsync(SampleApp app, string template, string name, params string[] options)
    {
        await Task.Delay(1000 - DateTime.UtcNow.Millisecond + 20);
        var arguments = new List<string> { "new", template, "-n", name, "--debug:custom-hive", Path };
        if (!options.Contains("--context"))
        {
            arguments.AddRange(["--context", context]);
        }

        // As the guides run them: from the project's folder, -o naming the migrations folder.
        if (!options.Contains("-o"))
        {
            arguments.AddRange(["-o", "Migrations"]);
        }

        return await Dotnet.RunAsync(app.Directory, [.. arguments, .. options]);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A dotnet new process may still hold a file; the temp folder is cleaned up by the OS.
        }
    }
}
