using System.Diagnostics;
using Npgsql;
using SafeMigrations.Testing;

namespace SafeMigrations.EmbeddedPostgres.Tests;

[TestClass]
public sealed class EmbeddedPostgresClusterTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Start_serves_connections_and_dispose_removes_server_and_files()
    {
        using var root = new ClusterRoot();
        string connectionString;
        string clusterDirectory;
        await using (var cluster = await EmbeddedPostgresCluster.StartAsync(root.Options, TestContext.CancellationToken))
        {
            connectionString = cluster.ConnectionString;
            clusterDirectory = cluster.ClusterDirectory;
            Assert.IsTrue(cluster.IsRunning);
            Assert.IsTrue(Directory.Exists(cluster.DataDirectory));
            var version = await ScalarAsync<string>(connectionString, "SHOW server_version_num");
            Assert.IsGreaterThanOrEqualTo(120000, int.Parse(version, System.Globalization.CultureInfo.InvariantCulture));
            Assert.AreEqual("127.0.0.1", await ScalarAsync<string>(connectionString, "SHOW listen_addresses"));
            Assert.HasCount(1, ServerProcesses.RunningUnder(root.Path).Take(1));
        }

        Assert.IsFalse(Directory.Exists(clusterDirectory), "the cluster folder is deleted on dispose");
        Assert.IsEmpty(ServerProcesses.RunningUnder(root.Path));
        await Assert.ThrowsAsync<NpgsqlException>(() => ScalarAsync<string>(connectionString + ";Timeout=2", "SELECT 1"));
    }

    [TestMethod]
    public async Task Two_clusters_run_side_by_side_with_separate_data()
    {
        using var root = new ClusterRoot();
        await using var first = await EmbeddedPostgresCluster.StartAsync(root.Options, TestContext.CancellationToken);
        await using var second = await EmbeddedPostgresCluster.StartAsync(root.Options, TestContext.CancellationToken);

        Assert.AreNotEqual(first.Port, second.Port);
        Assert.AreNotEqual(first.DataDirectory, second.DataDirectory);
        await ScalarAsync<int>(first.ConnectionString, "CREATE TABLE only_in_first (id int); SELECT 1");
        Assert.AreEqual(1L, await ScalarAsync<long>(first.ConnectionString, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'"));
        Assert.AreEqual(0L, await ScalarAsync<long>(second.ConnectionString, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'"));
        Assert.HasCount(2, root.ClusterDirectories);
    }

    [TestMethod]
    public async Task A_start_that_fails_reports_the_server_log_and_leaves_nothing_behind()
    {
        using var root = new ClusterRoot();
        var options = root.Options with { ServerSettings = new Dictionary<string, string> { ["shared_buffers"] = "'not a size'" } };

        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(() => EmbeddedPostgresCluster.StartAsync(options, TestContext.CancellationToken));

        StringAssert.Contains(error.Message, "shared_buffers");
        Assert.IsEmpty(root.ClusterDirectories, "the half-made cluster is deleted");
        Assert.IsEmpty(ServerProcesses.RunningUnder(root.Path));
    }

    [TestMethod]
    public async Task Missing_binaries_give_one_clear_message_naming_the_package()
    {
        using var root = new ClusterRoot();
        var emptyBin = Directory.CreateTempSubdirectory("no-postgres-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<PostgresNotInstalledException>(
                () => EmbeddedPostgresCluster.StartAsync(root.Options with { BinDirectory = emptyBin }, TestContext.CancellationToken));

            StringAssert.Contains(error.Message, "apt-get install postgresql");
            StringAssert.Contains(error.Message, EmbeddedPostgresOptions.BinDirectoryVariable);
            StringAssert.Contains(error.Message, PostgresServer.ConnectionStringVariable);
            CollectionAssert.Contains(error.SearchedLocations.ToList(), emptyBin);
            Assert.IsEmpty(root.ClusterDirectories);
        }
        finally
        {
            Directory.Delete(emptyBin);
        }
    }

    [TestMethod]
    public async Task A_cluster_left_by_a_killed_process_is_removed_by_the_next_start()
    {
        using var root = new ClusterRoot();
        EmbeddedPostgresCluster orphan;
        using (var shortLived = Process.Start("true"))
        {
            await shortLived.WaitForExitAsync(TestContext.CancellationToken);
            EmbeddedPostgresCluster.OwnerProcessIdForTests = shortLived.Id; // record a dead process as the owner
            try
            {
                orphan = await EmbeddedPostgresCluster.StartAsync(root.Options, TestContext.CancellationToken);
            }
            finally
            {
                EmbeddedPostgresCluster.OwnerProcessIdForTests = null;
            }
        }

        Assert.AreEqual(1, await ScalarAsync<int>(orphan.ConnectionString, "SELECT 1"));

        await using var next = await EmbeddedPostgresCluster.StartAsync(root.Options, TestContext.CancellationToken);

        Assert.IsFalse(Directory.Exists(orphan.ClusterDirectory), "the orphan's folder is gone");
        Assert.AreEqual(next.ClusterDirectory, root.ClusterDirectories.Single());
        Assert.HasCount(1, ServerProcesses.RunningUnder(root.Path).Where(pid => IsPostmasterOf(pid, next.DataDirectory)));
        Assert.IsEmpty(ServerProcesses.RunningUnder(orphan.DataDirectory));
    }

    private static bool IsPostmasterOf(int pid, string dataDirectory) =>
        File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Contains(dataDirectory, StringComparison.Ordinal);

    internal static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
