using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.RuleExamples.Tests;

/// <summary>
/// Applies one migration the way EF Core 8 and 10 do — the SQL EF and Npgsql generate for its Up
/// operations, in one transaction, committed around transaction-suppressed commands — and observes what
/// it did to the tables that existed: each statement under the runner's <see cref="Runtime.StatementObserver"/>
/// (the locks it took and the tables it read, from inside its transaction, or polled beside one that runs
/// outside a transaction); afterwards, from a second session, storage files, columns, values, and
/// whether the previous release's reads and writes still work.
/// </summary>
internal static class ObservedMigration
{
    /// <summary>How strong a lock mode (by its SQL name) is: Core's LockLevel order; SHARE and above block writes.</summary>
    public static int Strength(string? sqlName) => sqlName is null ? 0 : (int)Enum.GetValues<LockLevel>().Single(l => l != LockLevel.None && l.SqlName() == sqlName);

    /// <param name="previousRelease">SQL the previous release runs besides reading and writing every column it knows.</param>
    /// <param name="known">The tables and columns the previous release knows; null for those that exist before this migration.</param>
    public static async Task<Observation> RunAsync(string connectionString, Migration migration, IReadOnlyList<string> previousRelease, IReadOnlyDictionary<string, TableState>? known = null)
    {
        await using var observer = new NpgsqlConnection(connectionString);
        await observer.OpenAsync();
        var before = await TableState.ReadAllAsync(observer);
        var values = await ValuesAsync(observer, before);

        IReadOnlyList<MigrationCommand> commands;
        try
        {
            commands = Generate(connectionString, migration);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
        {
            return new Observation { Failure = "EF could not generate the SQL: " + e.Message };
        }

        // The runner's own observer reads what each statement locked and scanned (a statement outside a transaction is
        // polled from a second session); keyed by the names the tables had before, so a rename keeps its lock.
        var locks = new Dictionary<string, LockLevel>(StringComparer.Ordinal);
        var held = new Dictionary<string, LockLevel>(StringComparer.Ordinal);
        bool scanned = false, scannedWhileBlocking = false;
        string? failure = null;
        // A backend of its own: PostgreSQL keeps a session's unflushed table statistics across transactions,
        // and a pooled session may carry the observer's reads.
        await using (var statements = new Runtime.StatementObserver(connectionString))
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString))
        {
            await statements.StartAsync();
            await connection.OpenAsync();
            NpgsqlTransaction? transaction = null;
            try
            {
                foreach (var command in commands)
                {
                    if (command.TransactionSuppressed && transaction is not null)
                    {
                        await transaction.CommitAsync();
                        statements.TransactionEnded();
                        transaction = null;
                        held.Clear();
                    }
                    else if (!command.TransactionSuppressed && transaction is null)
                    {
                        transaction = await connection.BeginTransactionAsync();
                    }

                    var statement = await statements.ObserveAsync(connection, transaction, command.CommandText);
                    foreach (var taken in statement.Locks)
                    {
                        var table = taken.Table.Name;
                        held[table] = (LockLevel)Math.Max((int)held.GetValueOrDefault(table), (int)taken.Level);
                        locks[table] = (LockLevel)Math.Max((int)locks.GetValueOrDefault(table), (int)taken.Level);
                    }

                    // A statement's scan blocked writes if its transaction held such a lock once it was done.
                    foreach (var table in statement.Scanned)
                    {
                        scanned = true;
                        scannedWhileBlocking |= held.GetValueOrDefault(table.Name).BlocksWrites();
                    }

                    if (transaction is null)
                    {
                        held.Clear();
                    }
                }

                if (transaction is not null)
                {
                    await transaction.CommitAsync();
                }
            }
            catch (PostgresException e)
            {
                failure = e.SqlState + ": " + e.MessageText;
                await RollBackAsync(transaction);
            }
            catch (InvalidOperationException e)
            {
                // A COMMIT inside the SQL ended the migration's transaction: the next command EF sends on it throws this.
                failure = "EF: " + e.Message;
            }
        }

        var after = await TableState.ReadAllAsync(observer);
        var strongest = locks.Where(l => l.Value != LockLevel.None).OrderByDescending(l => l.Value).Select(l => ((string Table, LockLevel Level)?)(l.Key, l.Value)).FirstOrDefault();
        var changedRows = await ChangedRowsAsync(observer, before, after, values);
        return new Observation
        {
            StrongestLock = strongest?.Level.SqlName(),
            LockedTable = strongest?.Table,
            Scanned = scanned,
            ScannedWhileBlockingWrites = scannedWhileBlocking,
            Rewritten = before.Values.Any(t => Find(after, t) is { } now && now.FileNode != t.FileNode),
            Failure = failure,
            HalfApplied = failure is not null && (changedRows || !SameSchema(before, after)),
            ChangedRows = changedRows,
            DeletedData = before.Values.Any(t => Find(after, t) is not { } now || t.Columns.Any(c => now.Columns.All(n => n.Number != c.Number))),
            PreviousReleaseBreak = await PreviousReleaseBreakAsync(observer, known ?? before, previousRelease),
            Sql = commands.Select(c => (c.TransactionSuppressed ? "-- outside a transaction\n" : string.Empty) + c.CommandText.Trim()).ToList(),
        };
    }

    /// <summary>The commands EF applies for the migration: its Up operations through the provider's SQL generator, with its target model.</summary>
    public static IReadOnlyList<MigrationCommand> Generate(string connectionString, Migration migration)
    {
        using var context = new DbContext(new DbContextOptionsBuilder().UseNpgsql(connectionString).Options);
        var model = migration.TargetModel is { } target ? context.GetService<IModelRuntimeInitializer>().Initialize(target) : null;
        return context.GetService<IMigrationsSqlGenerator>().Generate(migration.UpOperations, model);
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Rolls back what is left of the migration's transaction: none, when SQL inside it committed it already.</summary>
    private static async Task RollBackAsync(NpgsqlTransaction? transaction)
    {
        try
        {
            if (transaction is not null)
            {
                await transaction.RollbackAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Npgsql saw the COMMIT in the SQL: the transaction is over.
        }
    }

    /// <summary>A table keeps its oid through a rename.</summary>
    private static TableState? Find(Dictionary<string, TableState> tables, TableState table) =>
        tables.Values.FirstOrDefault(t => t.Oid == table.Oid);

    private static bool SameSchema(Dictionary<string, TableState> before, Dictionary<string, TableState> after) =>
        before.Count == after.Count
        && before.Values.All(t => after.TryGetValue(t.Name, out var now)
            && t.Columns.Select(c => c.Name).SequenceEqual(now.Columns.Select(c => c.Name))
            && t.Indexes.SequenceEqual(now.Indexes));

    private static async Task<Dictionary<(uint Table, int Column), string>> ValuesAsync(NpgsqlConnection connection, Dictionary<string, TableState> tables)
    {
        var hashes = new Dictionary<(uint, int), string>();
        foreach (var table in tables.Values)
        {
            foreach (var column in table.Columns)
            {
                hashes[(table.Oid, column.Number)] = await TableState.HashAsync(connection, table.Name, column.Name);
            }
        }

        return hashes;
    }

    private static async Task<bool> ChangedRowsAsync(
        NpgsqlConnection connection, Dictionary<string, TableState> before, Dictionary<string, TableState> after, Dictionary<(uint Table, int Column), string> values)
    {
        foreach (var table in before.Values)
        {
            if (Find(after, table) is not { } now)
            {
                continue;
            }

            foreach (var column in now.Columns.Where(c => values.ContainsKey((table.Oid, c.Number))))
            {
                if (await TableState.HashAsync(connection, now.Name, column.Name) != values[(table.Oid, column.Number)])
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The previous release reads every column it knows, writes a row of them (copied from an existing row,
    /// NULL where the column took NULL), and runs the page's own statements; all rolled back. A duplicate
    /// key is the copy's doing, not the migration's.
    /// </summary>
    private static async Task<string?> PreviousReleaseBreakAsync(NpgsqlConnection connection, IReadOnlyDictionary<string, TableState> before, IReadOnlyList<string> previousRelease)
    {
        var probes = new List<string>();
        foreach (var table in before.Values)
        {
            var name = TableState.Quote(table.Name);
            probes.Add($"SELECT {string.Join(", ", table.Columns.Select(c => TableState.Quote(c.Name)))} FROM {name} LIMIT 1");
            var insertable = table.Columns.Where(c => c.IsInsertable).ToList();
            if (insertable.Count > 0)
            {
                var values = insertable.Select(c => c.IsNullable ? "NULL" : TableState.Quote(c.Name));
                probes.Add($"INSERT INTO {name} ({string.Join(", ", insertable.Select(c => TableState.Quote(c.Name)))}) SELECT {string.Join(", ", values)} FROM {name} LIMIT 1");
            }
        }

        foreach (var probe in probes.Concat(previousRelease))
        {
            await using var transaction = await connection.BeginTransactionAsync();
            try
            {
                await ExecuteAsync(connection, transaction, probe);
            }
            catch (PostgresException e) when (e.SqlState is not (PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ExclusionViolation))
            {
                return $"{e.SqlState}: {e.MessageText} ({probe})";
            }
            catch (PostgresException)
            {
                // the copied row collides with itself under a unique index or exclusion constraint: not the migration's doing
            }

            // Disposing the transaction rolls the probe back.
        }

        return null;
    }
}
