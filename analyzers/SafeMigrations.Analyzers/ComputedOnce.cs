using System;
using System.Threading;

namespace SafeMigrations.Analyzers;

/// <summary>
/// A per-compilation value computed on first need, with the cancellation token of the action that
/// needs it. Unlike <see cref="Lazy{T}"/>, a computation that is cancelled or fails is not kept: the
/// IDE cancels analyses as the developer types, and a cached cancellation would silence the analyzer
/// for the rest of that compilation.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A SemaphoreSlim holds no native handle unless AvailableWaitHandle is read, which this never does.")]
internal sealed class ComputedOnce<T>(Func<CancellationToken, T> compute)
    where T : class
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private T? value;

    public T Get(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref value) is { } known)
        {
            return known;
        }

        // Callers wait for the first computation rather than repeat it; they still honour their own token.
        gate.Wait(cancellationToken);
        try
        {
            if (value is null)
            {
                Volatile.Write(ref value, compute(cancellationToken));
            }

            return value!;
        }
        finally
        {
            gate.Release();
        }
    }
}
