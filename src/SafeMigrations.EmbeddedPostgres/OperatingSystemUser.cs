using System.Runtime.InteropServices;

namespace SafeMigrations.EmbeddedPostgres;

/// <summary>PostgreSQL refuses to run as root, so a root process runs the server binaries as another account.</summary>
internal static class OperatingSystemUser
{
    public static bool IsRoot => !OperatingSystem.IsWindows() && GetEffectiveUserId() == 0;

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();
}
