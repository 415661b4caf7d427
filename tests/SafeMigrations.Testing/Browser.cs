using System.Diagnostics;

namespace SafeMigrations.Testing;

/// <summary>
/// The browser the HTML tests drive: Debian's chromium (Playwright cannot download its own here). On a fresh machine
/// the first test that needs it installs the package, so the test command stays the only set-up.
/// </summary>
public static class Browser
{
    private static readonly Lazy<string> Path = new(Find, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Chromium => Path.Value;

    private static string Find()
    {
        const string executable = "/usr/bin/chromium";
        if (File.Exists(executable))
        {
            return executable;
        }

        if (File.Exists("/usr/bin/apt-get") && Environment.UserName == "root")
        {
            foreach (var arguments in new[] { "update", "install -y --no-install-recommends chromium" })
            {
                using var apt = Process.Start(new ProcessStartInfo("apt-get", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                apt.StandardOutput.ReadToEnd();
                apt.StandardError.ReadToEnd();
                apt.WaitForExit();
            }
        }

        return File.Exists(executable)
            ? executable
            : throw new InvalidOperationException("The HTML report tests need Debian's chromium: install it (sudo apt-get install chromium) and run them again.");
    }
}
