using SafeMigrations.Testing;

// Each example has a database of its own, so test classes may run side by side.
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.ClassLevel)]

namespace SafeMigrations.RuleExamples.Tests;

[TestClass]
public static class AssemblyHooks
{
    [AssemblyCleanup]
    public static async Task StopSharedServer() => await SharedPostgres.StopAsync();
}
