using SafeMigrations.Testing;

// Each test class has its own database, so classes may run side by side.
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.ClassLevel)]

namespace Todo.Backend.Tests;

[TestClass]
public static class AssemblyHooks
{
    [AssemblyCleanup]
    public static async Task StopSharedServer() => await SharedPostgres.StopAsync();
}
