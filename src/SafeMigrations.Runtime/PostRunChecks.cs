using Npgsql;
using SafeMigrations.Core.Rules;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Runtime;

/// <summary>
/// What the runner checks around the migrations it applies (SM4002): the declared integrity checks before the first
/// and after each one, no INVALID index left by a concurrent build, the health probe after the run; and, as notes,
/// constraints left NOT VALID.
/// </summary>
internal sealed class PostRunChecks(RunSession session, SafeMigrationOptions options)
{
    private IReadOnlyList<string> invalidBefore = [];

    public async Task BeforeFirstAsync(CancellationToken cancellationToken)
    {
        await DeclaredAsync("before the first migration", null, cancellationToken).ConfigureAwait(false);
        invalidBefore = await InvalidIndexesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task AfterAsync(KnownMigration migration, CancellationToken cancellationToken)
    {
        // Only a step outside a transaction (a concurrent build) can leave an INVALID index behind.
        if (session.Migrations.Up(migration).Any(c => !c.InTransaction)
            && (await InvalidIndexesAsync(cancellationToken).ConfigureAwait(false)).Except(invalidBefore).ToList() is { Count: > 0 } invalid)
        {
            throw new SafeMigrationException(RuleIds.IntegrityCheckFailed,
                $"{migration.Id} left INVALID indexes: {string.Join(", ", invalid)} (a concurrent build failed part-way). They take write overhead and serve no query.", migration.Id);
        }

        await DeclaredAsync("after " + migration.Id, migration.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the health probe said was wrong after the run; null when it passed or there is none.</summary>
    public async Task<string?> HealthProbeFailureAsync(CancellationToken cancellationToken)
    {
        if (options.HealthProbe is not { } probe)
        {
            return null;
        }

        try
        {
            return await probe(cancellationToken).ConfigureAwait(false) ? null : "the health probe returned false";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return "the health probe threw " + e.GetType().Name + ": " + e.Message;
        }
    }

    /// <summary>Constraints left NOT VALID: new rows are checked, old ones are not until validated.</summary>
    public async Task<IReadOnlyList<string>> UnvalidatedConstraintsAsync(CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        await using var command = new NpgsqlCommand(RunnerSql.UnvalidatedConstraints, session.Connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            notes.Add($"Constraint {reader.GetString(2)} on {reader.GetString(0)}.{reader.GetString(1)} is NOT VALID: validate it in a later migration (ALTER TABLE … VALIDATE CONSTRAINT), or new rows are checked but old ones are not.");
        }

        return notes;
    }

    private async Task DeclaredAsync(string when, string? migrationId, CancellationToken cancellationToken)
    {
        foreach (var check in options.IntegrityChecks)
        {
            string? problem;
            try
            {
                problem = await check.RunAsync(session.Connection, cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException e)
            {
                problem = "the check failed to run: " + e.Message;
            }

            if (problem is not null)
            {
                throw new SafeMigrationException(RuleIds.IntegrityCheckFailed, $"Integrity check '{check.Name}' failed {when}: {problem}.", migrationId);
            }
        }
    }

    private async Task<IReadOnlyList<string>> InvalidIndexesAsync(CancellationToken cancellationToken)
    {
        var result = new List<string>();
        await using var command = new NpgsqlCommand(RunnerSql.InvalidIndexes, session.Connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(reader.GetString(0) + "." + reader.GetString(1));
        }

        return result;
    }
}
