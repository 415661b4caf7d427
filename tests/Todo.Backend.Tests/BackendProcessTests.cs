using SafeMigrations.EmbeddedPostgres;
using SafeMigrations.Testing;

namespace Todo.Backend.Tests;

/// <summary>
/// The backend as users run it: a separate process on the embedded PostgreSQL, which must be gone
/// afterwards however the process ends.
/// </summary>
[TestClass]
public sealed class BackendProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Demo_migrates_seeds_serves_one_request_and_removes_its_database_server()
    {
        var root = NewClusterRoot();
        using var backend = StartBackend(root, ["demo"]);

        var exitCode = await backend.WaitForExitAsync(Patience);

        Assert.AreEqual(0, exitCode, backend.Output);
        StringAssert.Contains(backend.Output, "throwaway embedded PostgreSQL at 127.0.0.1:");
        StringAssert.Contains(backend.Output, "_InitialCreate");
        StringAssert.Contains(backend.Output, "1 user(s), 3 task(s) added");
        StringAssert.Contains(backend.Output, "-> 200 OK");
        StringAssert.Contains(backend.Output, "Read the SafeMigrations README");
        AssertNoClusterLeft(root);
    }

    [TestMethod]
    [DataRow(Signals.SigTerm, DisplayName = "SIGTERM")]
    [DataRow(Signals.SigInt, DisplayName = "SIGINT (Ctrl+C)")]
    public async Task Interrupting_the_server_removes_its_database_server(int signal)
    {
        var root = NewClusterRoot();
        using var backend = StartBackend(root, ["--urls", "http://127.0.0.1:0"]);
        Assert.IsTrue(await backend.WaitForOutputAsync("Press Ctrl+C to stop.", Patience), backend.Output);
        Assert.IsNotEmpty(ServerProcesses.RunningUnder(root), "the embedded server runs while the backend does");

        Signals.Send(backend.Id, signal);
        await backend.WaitForExitAsync(Patience);

        AssertNoClusterLeft(root);
    }

    [TestMethod]
    public async Task An_unreachable_database_gets_one_clear_error_without_the_password()
    {
        const string password = "Sup3r-Secret-Pw";
        var root = NewClusterRoot();
        using var backend = StartBackend(root, ["demo"], new Dictionary<string, string?>
        {
            ["ConnectionStrings__Todo"] = $"Host=127.0.0.1;Port=1;Username=app;Password={password};Database=todo;Timeout=2",
        });

        var exitCode = await backend.WaitForExitAsync(Patience);

        Assert.AreEqual(2, exitCode, backend.Output);
        var errorLine = backend.Output.Split('\n').Single(line => line.StartsWith("error:", StringComparison.Ordinal));
        StringAssert.Contains(errorLine, "127.0.0.1:1/todo as app");
        StringAssert.Contains(errorLine, "Fix:");
        Assert.DoesNotContain(password, backend.Output);
        Assert.DoesNotContain("   at ", backend.Output, "no stack trace");
    }

    private static string NewClusterRoot() =>
        Path.Combine(Path.GetTempPath(), "safemigrations-pg-tests", "backend-" + Guid.NewGuid().ToString("N")[..8]);

    private static ChildProcess StartBackend(string clusterRoot, string[] arguments, Dictionary<string, string?>? environment = null)
    {
        var backendDll = Path.Combine(AppContext.BaseDirectory, "Todo.Backend.dll");
        var variables = new Dictionary<string, string?>
        {
            [EmbeddedPostgresOptions.RootDirectoryVariable] = clusterRoot,
            [PostgresServer.ConnectionStringVariable] = string.Empty, // always the embedded server here
            ["ConnectionStrings__Todo"] = string.Empty,
        };
        foreach (var (name, value) in environment ?? [])
        {
            variables[name] = value;
        }

        return ChildProcess.Start("dotnet", [backendDll, .. arguments], variables, AppContext.BaseDirectory);
    }

    private static void AssertNoClusterLeft(string root)
    {
        Assert.IsEmpty(ServerProcesses.RunningUnder(root), "no PostgreSQL server is left running");
        Assert.IsFalse(Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any(), "no cluster folder is left behind");
        if (Directory.Exists(root))
        {
            Directory.Delete(root);
        }
    }
}
