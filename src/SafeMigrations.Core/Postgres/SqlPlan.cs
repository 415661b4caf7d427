using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Sql;

namespace SafeMigrations.Core.Postgres;

/// <summary>One statement of a SQL command, with the change it makes and the lock it takes on its table.</summary>
public sealed record PlannedStatement(string Sql, SchemaChange Change, LockLevel Lock)
{
    public TableName? Table => Change.Table;
}

/// <summary>Splits SQL (as EF + Npgsql generate it) into statements and says what each does and locks: for `safemig plan`.</summary>
public static class SqlPlan
{
    /// <summary>The tables a migration creates itself: their locks block no one.</summary>
    public static IReadOnlyCollection<TableName> TablesCreatedBy(MigrationDefinition migration) =>
        migration is null ? [] : Analysis.CreatedObjects.In(Analysis.MigrationAnalyzer.Expand(migration.UpOperations)).Tables;

    public static IReadOnlyList<PlannedStatement> Statements(string sql, bool insideTransaction) =>
        SqlStatementClassifier.Classify(sql, location: null, insideTransaction)
            .Select(change => new PlannedStatement(change.FromSql?.Statement ?? sql, change, LockCatalog.LockFor(change)))
            .ToList();
}
