namespace SafeMigrations.Runtime;

/// <summary>Another runner kept the lock for longer than the wait budget.</summary>
public sealed class MigrationLockTimeoutException(TimeSpan waited, LockHolder? holder)
    : Exception($"Another migration runner held the lock for the whole wait budget ({waited.TotalSeconds:F0} s): "
        + (holder is null ? "it was released as the budget ran out; run again." : $"{holder}. Let it finish, or end that session (SELECT pg_terminate_backend({holder.ProcessId})) if its runner died."))
{
    public LockHolder? Holder { get; } = holder;
}
