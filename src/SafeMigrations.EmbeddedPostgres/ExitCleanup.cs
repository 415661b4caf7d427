using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace SafeMigrations.EmbeddedPostgres;

/// <summary>
/// Stops every running cluster when the process exits or is told to stop by a signal, so an
/// interrupted test run or demo leaves no server behind. SIGKILL cannot be caught: the orphan sweep
/// at the next start covers that case.
/// </summary>
internal static class ExitCleanup
{
    private static readonly ConcurrentDictionary<EmbeddedPostgresCluster, byte> Running = new();
    private static readonly List<PosixSignalRegistration> Registrations = [];
    private static int hooked;

    public static void Track(EmbeddedPostgresCluster cluster)
    {
        Running.TryAdd(cluster, 0);
        if (Interlocked.Exchange(ref hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
            if (!OperatingSystem.IsWindows())
            {
                // Handlers do not cancel the signal: the process still ends as it would have, the
                // clusters just go first. A host that cancels SIGINT/SIGTERM for a graceful shutdown
                // reaches ProcessExit (or disposes the cluster) on its own.
                foreach (var signal in new[] { PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
                {
                    Registrations.Add(PosixSignalRegistration.Create(signal, _ => StopAll()));
                }

                foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
                {
                    Registrations.Add(PosixSignalRegistration.Create(signal, context =>
                    {
                        if (!context.Cancel)
                        {
                            StopAll();
                        }
                    }));
                }
            }
        }
    }

    public static void Untrack(EmbeddedPostgresCluster cluster) => Running.TryRemove(cluster, out _);

    private static void StopAll()
    {
        foreach (var cluster in Running.Keys)
        {
            cluster.StopImmediately();
        }
    }
}
