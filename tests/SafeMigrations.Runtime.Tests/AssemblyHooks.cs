using SafeMigrations.Testing;

// The tests take an advisory lock key each and share the test run's PostgreSQL.
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.MethodLevel)]

namespace SafeMigrations.Runtime.Tests;

[TestClass]
public static class AssemblyHooks
{
    [AssemblyCleanup]
    public static async Task StopSharedServer() => await SharedPostgres.StopAsync();
}
