using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Runner;

/// <summary>Which timeouts a statement gets.</summary>
public enum StatementKind
{
    /// <summary>DDL that takes a lock conflicting with the application's queries: a short lock_timeout, because every query on the table queues behind it while it waits.</summary>
    SchemaChange,

    /// <summary>Work that lets the application run beside it (a concurrent index build, VALIDATE CONSTRAINT, a data update): long budgets.</summary>
    LongRunning,
}

/// <summary>Sorts the SQL EF + Npgsql generate into statement kinds, from what Core knows of each statement's lock.</summary>
public static class StatementKinds
{
    public static StatementKind Classify(string sql, bool insideTransaction)
    {
        IReadOnlyList<PlannedStatement> statements;
        try
        {
            statements = SqlPlan.Statements(sql, insideTransaction);
        }
        catch (System.Exception e) when (e is not System.OutOfMemoryException)
        {
            return StatementKind.SchemaChange;
        }

        return statements.Count > 0 && statements.All(s => LockCatalog.RunsBesideTheApplication(s.Change) || s.Lock is LockLevel.None)
               && statements.Any(s => LockCatalog.RunsBesideTheApplication(s.Change))
            ? StatementKind.LongRunning
            : StatementKind.SchemaChange;
    }

    /// <summary>The index a statement builds concurrently, if it does: a failed build leaves it INVALID, to drop before the retry.</summary>
    public static (string? Schema, string Name)? ConcurrentIndexBuilt(string sql)
    {
        try
        {
            return SqlPlan.Statements(sql, insideTransaction: false).Select(s => s.Change).OfType<CreateIndexChange>().FirstOrDefault(c => c.Concurrently) is { } index
                ? (index.TableName.Schema, index.Name)
                : null;
        }
        catch (System.Exception e) when (e is not System.OutOfMemoryException)
        {
            return null;
        }
    }
}
