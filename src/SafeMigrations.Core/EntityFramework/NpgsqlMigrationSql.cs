using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.EntityFramework;

/// <summary>
/// What the Npgsql provider's migrations SQL generator (NpgsqlMigrationsSqlGenerator) emits for an
/// operation, where it does more than the operation's name says. Rules describe the SQL that will run.
/// </summary>
public static class NpgsqlMigrationSql
{
    /// <summary>
    /// An AlterColumn from nullable to NOT NULL that carries a default (EF's differ fills in the CLR
    /// default when the model has none): Npgsql first runs <c>UPDATE t SET c = &lt;default&gt; WHERE c IS NULL</c>,
    /// then SET NOT NULL, then SET DEFAULT, all in the migration's transaction.
    /// </summary>
    public static bool BackfillsNullsBeforeSetNotNull(AlterColumnChange alter) =>
        alter.FromSql is null
        && alter.Column.IsNullable == false
        && alter.Old?.IsNullable == true
        && (alter.Column.DefaultValueSql is not null || alter.Column.HasDefaultValue);
}
