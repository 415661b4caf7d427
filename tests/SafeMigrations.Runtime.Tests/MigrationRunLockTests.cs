using Npgsql;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Testing;

namespace SafeMigrations.Runtime.Tests;

/// <summary>The runners' advisory lock on a real PostgreSQL: exclusion, waiting outside the lock queue, the holder named, the wait budget.</summary>
[TestClass]
public sealed class MigrationRunLockTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_second_runner_waits_outside_the_lock_queue_names_the_holder_and_gets_the_lock_when_it_is_released()
    {
        await using var source = await DataSourceAsync("runner-one");
        var options = new MigrationLockOptions { Key = Random.Shared.NextInt64(), FirstPollInterval = TimeSpan.FromMilliseconds(20), MaxPollInterval = TimeSpan.FromMilliseconds(100) };
        var first = await MigrationRunLock.AcquireAsync(source, options, cancellationToken: TestContext.CancellationToken);

        var holders = new List<LockHolder>();
        var waitersSeen = new List<long>();
        await using var observer = await source.OpenConnectionAsync(TestContext.CancellationToken);
        var second = MigrationRunLock.AcquireAsync(source, options, waiting: holder =>
        {
            lock (holders)
            {
                holders.Add(holder);
            }
        }, cancellationToken: TestContext.CancellationToken);

        // While the second waits, nobody queues on the lock: it only ever tries.
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(30, TestContext.CancellationToken);
            await using var command = new NpgsqlCommand(AdvisoryLockSql.Waiters, observer);
            command.Parameters.AddWithValue("key", options.Key);
            waitersSeen.Add((long)(await command.ExecuteScalarAsync(TestContext.CancellationToken))!);
        }

        Assert.IsFalse(second.IsCompleted, "the second runner waits while the first holds the lock");
        Assert.IsTrue(waitersSeen.All(count => count == 0), $"ungranted advisory locks seen: {string.Join(",", waitersSeen)}");
        LockHolder named;
        lock (holders)
        {
            Assert.IsNotEmpty(holders, "the waiting runner reports the holder");
            named = holders[^1];
        }

        Assert.AreEqual(first.ProcessId, named.ProcessId);
        Assert.AreEqual("runner-one", named.ApplicationName);

        await first.DisposeAsync();
        await using var secondLock = await second.WaitAsync(TimeSpan.FromSeconds(10), TestContext.CancellationToken);
        Assert.AreNotEqual(first.ProcessId, secondLock.ProcessId);
    }

    [TestMethod]
    public async Task A_runner_gives_up_after_its_wait_budget_naming_the_session_to_end()
    {
        await using var source = await DataSourceAsync("stuck-runner");
        var options = new MigrationLockOptions { Key = Random.Shared.NextInt64(), WaitBudget = TimeSpan.FromMilliseconds(600), FirstPollInterval = TimeSpan.FromMilliseconds(20), MaxPollInterval = TimeSpan.FromMilliseconds(100) };
        await using var holder = await MigrationRunLock.AcquireAsync(source, options, cancellationToken: TestContext.CancellationToken);

        var started = DateTime.UtcNow;
        var timeout = await Assert.ThrowsExactlyAsync<MigrationLockTimeoutException>(() => MigrationRunLock.AcquireAsync(source, options, cancellationToken: TestContext.CancellationToken));
        Assert.IsLessThan(TimeSpan.FromSeconds(5), DateTime.UtcNow - started, "the budget bounds the wait");
        Assert.AreEqual(holder.ProcessId, timeout.Holder?.ProcessId);
        StringAssert.Contains(timeout.Message, $"pg_terminate_backend({holder.ProcessId})");
        StringAssert.Contains(timeout.Message, "stuck-runner");
    }

    [TestMethod]
    public async Task The_lock_dies_with_its_session_so_a_killed_runner_never_blocks_the_next()
    {
        await using var source = await DataSourceAsync("killed-runner");
        var options = new MigrationLockOptions { Key = Random.Shared.NextInt64(), WaitBudget = TimeSpan.FromSeconds(10), FirstPollInterval = TimeSpan.FromMilliseconds(20) };
        var killed = await MigrationRunLock.AcquireAsync(source, options, cancellationToken: TestContext.CancellationToken);

        await using (var admin = await source.OpenConnectionAsync(TestContext.CancellationToken))
        {
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", admin);
            terminate.Parameters.AddWithValue("pid", killed.ProcessId);
            await terminate.ExecuteScalarAsync(TestContext.CancellationToken);
        }

        await using var next = await MigrationRunLock.AcquireAsync(source, options, cancellationToken: TestContext.CancellationToken);
        Assert.AreNotEqual(killed.ProcessId, next.ProcessId);
        await killed.DisposeAsync(); // its connection is already gone: disposing must not throw
    }

    private static async Task<NpgsqlDataSource> DataSourceAsync(string applicationName)
    {
        var database = await SharedPostgres.CreateDatabaseAsync("runtime");
        return new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(database) { ApplicationName = applicationName, Pooling = false }.ConnectionString).Build();
    }
}
