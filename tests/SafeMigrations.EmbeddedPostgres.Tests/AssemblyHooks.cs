using SafeMigrations.Testing;

// The tests here start and kill clusters and swap a process-wide owner hook: run them one at a time.
[assembly: DoNotParallelize]

namespace SafeMigrations.EmbeddedPostgres.Tests;

[TestClass]
public static class AssemblyHooks
{
    [AssemblyCleanup]
    public static async Task StopSharedServer() => await SharedPostgres.StopAsync();
}
