using System.Diagnostics;

namespace SafeMigrations.Runtime;

/// <summary>One statement's tries within a step: when it first started, how long it ran and waited for locks, how often it was retried.</summary>
internal sealed class StatementAttempt(DateTimeOffset started)
{
    public DateTimeOffset Started { get; } = started;

    public Stopwatch Clock { get; } = new();

    public TimeSpan Wait { get; set; }

    public int Retries { get; set; }
}
