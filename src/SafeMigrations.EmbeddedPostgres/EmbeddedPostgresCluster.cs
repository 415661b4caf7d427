using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace SafeMigrations.EmbeddedPostgres;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb into a temporary folder, started on a free loopback port,
/// stopped and deleted on dispose, at process exit, or by the next start if this process was killed.
/// </summary>
public sealed class EmbeddedPostgresCluster : IAsyncDisposable, IDisposable
{
    public const string SuperUser = "postgres";

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private readonly string? runAsUser;
    private int stopped;

    private EmbeddedPostgresCluster(PostgresBinaries binaries, string clusterDirectory, string? runAsUser, string password)
    {
        Binaries = binaries;
        ClusterDirectory = clusterDirectory;
        this.runAsUser = runAsUser;
        Password = password;
    }

    public PostgresBinaries Binaries { get; }

    /// <summary>The folder holding the data directory, the log and the owner record.</summary>
    public string ClusterDirectory { get; }

    public string DataDirectory => Path.Combine(ClusterDirectory, "data");

    public string LogFile => Path.Combine(DataDirectory, "server.log");

    public int Port { get; private set; }

    /// <summary>Random per cluster; it appears in <see cref="ConnectionString"/> only, never in messages.</summary>
    internal string Password { get; }

    public bool IsRunning => Volatile.Read(ref stopped) == 0;

    /// <summary>Connection string for the superuser on the 'postgres' database.</summary>
    public string ConnectionString => GetConnectionString("postgres");

    public string GetConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = Password,
        Database = database,
    }.ConnectionString;

    public static async Task<EmbeddedPostgresCluster> StartAsync(EmbeddedPostgresOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmbeddedPostgresOptions();
        var binaries = PostgresBinaries.Locate(options.BinDirectory, options.SearchPath);
        var runAsUser = OperatingSystemUser.IsRoot ? options.OsUserWhenRoot : null;

        PrepareRoot(options.RootDirectory);
        RemoveOrphans(options.RootDirectory, binaries, runAsUser);

        var clusterDirectory = Path.Combine(options.RootDirectory, $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..24]);
        CreateDirectory(clusterDirectory, runAsUser is not null);
        ClusterOwnership.WriteOwner(clusterDirectory, OwnerProcessIdForTests ?? Environment.ProcessId);

        var cluster = new EmbeddedPostgresCluster(binaries, clusterDirectory, runAsUser, CreatePassword());
        try
        {
            await cluster.InitializeAsync(options, cancellationToken);
            await cluster.StartServerAsync(options, cancellationToken);
            ExitCleanup.Track(cluster);
            return cluster;
        }
        catch
        {
            cluster.StopImmediately();
            throw;
        }
    }

    /// <summary>
    /// Starts a streaming standby of this cluster: a base backup (pg_basebackup -R, streaming its WAL) served on a port
    /// of its own, read-only, with <paramref name="serverSettings"/> added to its configuration (for instance
    /// recovery_min_apply_delay, to make it fall behind on purpose). For tests of code that watches replicas
    /// (pg_stat_replication on this cluster). Disposing it stops and removes it; stop it before this cluster.
    /// </summary>
    public async Task<EmbeddedPostgresCluster> StartStandbyAsync(IReadOnlyDictionary<string, string>? serverSettings = null, CancellationToken cancellationToken = default)
    {
        var options = new EmbeddedPostgresOptions();
        var directory = Path.Combine(Path.GetDirectoryName(ClusterDirectory)!, $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..24]);
        CreateDirectory(directory, runAsUser is not null);
        ClusterOwnership.WriteOwner(directory, OwnerProcessIdForTests ?? Environment.ProcessId);
        var standby = new EmbeddedPostgresCluster(Binaries, directory, runAsUser, Password);
        try
        {
            var backup = new ExternalCommand(
                Binaries.PgBaseBackup,
                ["-D", standby.DataDirectory, "-d", $"host=127.0.0.1 port={Port.ToString(CultureInfo.InvariantCulture)} user={SuperUser}", "-R", "-X", "stream", "-c", "fast", "--no-sync"],
                runAsUser) { Environment = new Dictionary<string, string> { ["PGPASSWORD"] = Password } };
            var result = await backup.RunAsync(options.StartTimeout, cancellationToken);
            if (!result.Succeeded)
            {
                throw new EmbeddedPostgresException($"pg_basebackup failed (exit code {result.ExitCode}){RunAsNote()}:{Environment.NewLine}{result.Output.Trim()}");
            }

            var lines = (serverSettings ?? new Dictionary<string, string>()).Select(setting => $"{setting.Key} = {setting.Value}");
            await File.AppendAllLinesAsync(Path.Combine(standby.DataDirectory, "postgresql.conf"), ["", "# SafeMigrations throwaway standby", .. lines], cancellationToken);
            await standby.StartServerAsync(options, cancellationToken);
            ExitCleanup.Track(standby);
            return standby;
        }
        catch
        {
            standby.StopImmediately();
            throw;
        }
    }

    /// <summary>Tests simulate a killed owner by recording another process as the owner.</summary>
    internal static int? OwnerProcessIdForTests { get; set; }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return;
        }

        ExitCleanup.Untrack(this);
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            var result = await PgCtl("stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "30").RunAsync(StopTimeout, CancellationToken.None);
            if (!result.Succeeded)
            {
                await PgCtl("stop", "-D", DataDirectory, "-m", "immediate", "-w").RunAsync(StopTimeout, CancellationToken.None);
            }
        }

        DeleteDirectory(ClusterDirectory);
    }

    /// <summary>Synchronous stop for exit handlers and failed starts.</summary>
    internal void StopImmediately()
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return;
        }

        ExitCleanup.Untrack(this);
        StopServerSynchronously(DataDirectory, Binaries, runAsUser);
        DeleteDirectory(ClusterDirectory);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    public void Dispose() => StopImmediately();

    private async Task InitializeAsync(EmbeddedPostgresOptions options, CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(ClusterDirectory, "pwfile");
        await File.WriteAllTextAsync(passwordFile, Password + "\n", cancellationToken);
        try
        {
            if (runAsUser is not null && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            var initdb = new ExternalCommand(
                Binaries.InitDb,
                ["-D", DataDirectory, "-U", SuperUser, "--pwfile", passwordFile, "--auth", "scram-sha-256", "--encoding", "UTF8", "--no-locale", "--no-sync"],
                runAsUser);
            var result = await initdb.RunAsync(options.StartTimeout, cancellationToken);
            if (!result.Succeeded)
            {
                throw new EmbeddedPostgresException(
                    $"initdb failed (exit code {result.ExitCode}){RunAsNote()}:{Environment.NewLine}{result.Output.Trim()}");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }

        var settings = new Dictionary<string, string>
        {
            ["listen_addresses"] = "'127.0.0.1'",
            ["unix_socket_directories"] = "''",
            ["max_connections"] = "200",
            ["log_min_messages"] = "warning",
        };
        if (!options.Durable)
        {
            settings["fsync"] = "off";
            settings["synchronous_commit"] = "off";
            settings["full_page_writes"] = "off";
        }

        foreach (var (name, value) in options.ServerSettings)
        {
            settings[name] = value;
        }

        var lines = settings.Select(setting => $"{setting.Key} = {setting.Value}");
        await File.AppendAllLinesAsync(Path.Combine(DataDirectory, "postgresql.conf"), ["", "# SafeMigrations throwaway cluster", .. lines], cancellationToken);
    }

    private async Task StartServerAsync(EmbeddedPostgresOptions options, CancellationToken cancellationToken)
    {
        // A free port can be taken by someone else between the probe and the start: retry a few times.
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            Port = options.Port != 0 ? options.Port : FindFreePort();
            var start = PgCtl("start", "-D", DataDirectory, "-l", LogFile, "-w", "-t",
                ((int)options.StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)}");
            var result = await start.RunAsync(options.StartTimeout + TimeSpan.FromSeconds(10), cancellationToken);
            if (result.Succeeded)
            {
                break;
            }

            var log = ReadLogTail();
            var portTaken = log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                || log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase);
            if (!portTaken || options.Port != 0 || attempt == attempts)
            {
                throw new EmbeddedPostgresException(
                    $"PostgreSQL did not start (pg_ctl exit code {result.ExitCode}){RunAsNote()}. Server log:{Environment.NewLine}{log}");
            }
        }

        await WaitUntilAcceptingConnectionsAsync(options.StartTimeout, cancellationToken);
    }

    private async Task WaitUntilAcceptingConnectionsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false;Timeout=5");
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private string ReadLogTail()
    {
        try
        {
            var lines = File.ReadAllLines(LogFile);
            return string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - 20)));
        }
        catch (IOException)
        {
            return "(no server log)";
        }
        catch (UnauthorizedAccessException)
        {
            return "(server log not readable)";
        }
    }

    private string RunAsNote() => runAsUser is null ? string.Empty : $" running as OS user '{runAsUser}' (this process is root)";

    private ExternalCommand PgCtl(params string[] arguments) => new(Binaries.PgCtl, arguments, runAsUser);

    private static void StopServerSynchronously(string dataDirectory, PostgresBinaries binaries, string? runAsUser)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            return;
        }

        try
        {
            new ExternalCommand(binaries.PgCtl, ["stop", "-D", dataDirectory, "-m", "immediate", "-w", "-t", "30"], runAsUser).Run(StopTimeout);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // Best effort during shutdown: nothing left to report to.
        }
    }

    private static void RemoveOrphans(string rootDirectory, PostgresBinaries binaries, string? runAsUser)
    {
        foreach (var clusterDirectory in Directory.GetDirectories(rootDirectory))
        {
            if (!ClusterOwnership.IsOrphaned(clusterDirectory))
            {
                continue;
            }

            StopServerSynchronously(Path.Combine(clusterDirectory, "data"), binaries, runAsUser);
            DeleteDirectory(clusterDirectory);
        }
    }

    private static void PrepareRoot(string rootDirectory)
    {
        // World-writable with the sticky bit, like /tmp: clusters of different accounts can share it.
        if (!Directory.Exists(rootDirectory))
        {
            Directory.CreateDirectory(rootDirectory);
            if (!OperatingSystem.IsWindows())
            {
                try
                {
                    File.SetUnixFileMode(rootDirectory, (UnixFileMode)0b1_111_111_111);
                }
                catch (UnauthorizedAccessException)
                {
                    // created concurrently by another account: its mode is already right
                }
            }
        }
    }

    private static void CreateDirectory(string path, bool writableByServerAccount)
    {
        Directory.CreateDirectory(path);
        if (writableByServerAccount && !OperatingSystem.IsWindows())
        {
            // initdb, running as the server account, creates data/ (mode 0700) inside it.
            File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);
        }
    }

    private static void DeleteDirectory(string path)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (IOException)
            {
                Thread.Sleep(100); // a stopping server may still be removing its files
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
        }
    }

    private static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string CreatePassword() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
