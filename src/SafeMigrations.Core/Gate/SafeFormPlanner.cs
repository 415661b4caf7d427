using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Core.Gate;

/// <summary>How one operation of a new migration is rewritten into its safe form.</summary>
public enum SafeFormKind
{
    /// <summary>CREATE INDEX CONCURRENTLY, alone in a migration of its own (SM1001, SM1015 for a unique index).</summary>
    CreateIndexConcurrently,

    /// <summary>DROP INDEX CONCURRENTLY IF EXISTS, alone in a migration of its own (SM1002).</summary>
    DropIndexConcurrently,

    /// <summary>ADD CONSTRAINT … NOT VALID here, VALIDATE CONSTRAINT in a migration that follows (SM1013, SM1014).</summary>
    AddNotValidThenValidate,

    /// <summary>
    /// Nullable to NOT NULL (SM1007), in contract migrations (the previous release may still write NULL): the NULLs filled in
    /// batches, CHECK (c IS NOT NULL) NOT VALID, VALIDATE in the next migration, then SET NOT NULL (no scan with the check
    /// validated) and the check dropped.
    /// </summary>
    SetNotNullThroughCheck,

    /// <summary>A unique constraint (SM1015) or primary key (SM1016): its unique index built concurrently alone, then ADD CONSTRAINT … USING INDEX.</summary>
    UniqueThroughConcurrentIndex,

    /// <summary>
    /// A dropped column or table (SM1011, SM1012): this release only stops mapping it (a NOT NULL column becomes nullable so
    /// this release's inserts work); the drop is a [ContractMigration] applied once no instance of the previous release runs.
    /// </summary>
    DropInContractMigration,

    /// <summary>
    /// A renamed column (SM1009), with or without a new type: the new column added and kept in step with the old one by a
    /// trigger, the rows copied in batches; the trigger and the old column dropped by a [ContractMigration] (ExpandSql).
    /// </summary>
    RenameThroughExpandContract,

    /// <summary>
    /// A NOT NULL column added to an existing table (SM1004): added nullable now (the previous release's inserts leave it NULL);
    /// the existing rows filled and the column made NOT NULL by <see cref="SetNotNullThroughCheck"/>'s contract migrations.
    /// </summary>
    AddNullableThenSetNotNull,

    /// <summary>
    /// A column added with a volatile default (SM1005): added without it (no rewrite), the default set for new rows with
    /// ALTER COLUMN … SET DEFAULT, the existing rows filled in batches (SET c = DEFAULT computes it per row); a NOT NULL
    /// one made NOT NULL by <see cref="SetNotNullThroughCheck"/>'s contract migrations.
    /// </summary>
    AddThenSetVolatileDefault,
}

/// <summary>The rewrite of the operation at <see cref="Index"/>, with the SQL it needs.</summary>
public sealed record SafeFormAction(int Index, SafeFormKind Kind, string RuleId)
{
    /// <summary>The statement replacing the operation (NOT VALID, or DROP INDEX CONCURRENTLY); null for a concurrent index, which EF writes itself.</summary>
    public string? Sql { get; init; }

    /// <summary>The VALIDATE CONSTRAINT statement of the following migration.</summary>
    public string? ValidateSql { get; init; }

    /// <summary>What runs before <see cref="Sql"/> in its migration: the drop of an INVALID index a failed concurrent build left.</summary>
    public string? PrepareSql { get; init; }

    /// <summary>The statement of the last migration of the sequence: drop the helper check, or attach the index as the constraint.</summary>
    public string? FinishSql { get; init; }

    /// <summary>What undoes <see cref="Sql"/> in its migration's Down.</summary>
    public string? UndoSql { get; init; }

    /// <summary>What undoes <see cref="FinishSql"/> in the last migration's Down.</summary>
    public string? UndoFinishSql { get; init; }
}

/// <summary>
/// Decides how a migration EF is about to scaffold becomes safe: the same rewrites the analyzers' code
/// fixes make, chosen by the findings the rules report on the operations. What has no automatic rewrite
/// (a shorter max length, an in-place type change, a table rename) is left, and the gate reports it with its remedy.
/// </summary>
public static class SafeFormPlanner
{
    /// <summary>
    /// The model rules (SM2xxx) whose advice generation on build carries out itself: the pending change becomes a
    /// migration (SM2009), a new index is built concurrently in a migration of its own (SM2010). With
    /// SafeMigrationsGenerateOnBuild the analyzers do not report them: the build that would show them writes the fix.
    /// </summary>
    public static IReadOnlyCollection<string> ModelRulesGenerationCarriesOut { get; } = new[] { RuleIds.PendingModelChanges, RuleIds.NonConcurrentNewIndex };

    private const string PlannedFile = "<planned>";

    /// <summary>
    /// The column whose rows the action's NOT NULL recipe must give a value the model does not say (no default, or only
    /// the CLR default EF fills in): generation needs '--fill "column=SQL"' for it. Null when the recipe needs none.
    /// </summary>
    public static string? ColumnNeedingFill(SchemaChange change, SafeFormAction action) => (change, action?.Kind) switch
    {
        (AddColumnChange add, SafeFormKind.AddNullableThenSetNotNull) when !HasChosenDefault(add.Column) => add.Column.Name,
        (AlterColumnChange alter, SafeFormKind.SetNotNullThroughCheck) when !HasChosenDefault(alter.Column) => alter.Column.Name,
        _ => null,
    };

    /// <summary>The developer configured the column's default (EF's filled-in CLR default is not a choice).</summary>
    private static bool HasChosenDefault(ColumnDefinition column) => column.HasAnyDefault && !column.IsDefaultValueImplicit;

    public static IReadOnlyList<SafeFormAction> Plan(IReadOnlyList<SchemaChange> changes, AnalysisOptions? options = null)
    {
        if (changes is null || changes.Count == 0)
        {
            return Array.Empty<SafeFormAction>();
        }

        var located = changes.Select((change, i) => change with { Location = new SourceLocation(PlannedFile, i + 1, 1) }).ToList();
        var findings = new MigrationAnalyzer((options ?? AnalysisOptions.Default) with { BaselineMigrationId = null, CheckDown = false })
            .Analyze(new MigrationDefinition("(new migration)", located) { DownState = DownState.Unknown });
        return PlanFromRules(changes, changes.Select((_, i) => (IReadOnlyCollection<string>)findings.Where(f => f.Location is { FilePath: PlannedFile } at && at.Line == i + 1).Select(f => f.RuleId).ToList()).ToList());
    }

    /// <summary>The rewrites, from the rules already reported on each change (<paramref name="rulesByChange"/>, in the changes' order).</summary>
    public static IReadOnlyList<SafeFormAction> PlanFromRules(IReadOnlyList<SchemaChange> changes, IReadOnlyList<IReadOnlyCollection<string>> rulesByChange)
    {
        if (changes is null || rulesByChange is null)
        {
            return Array.Empty<SafeFormAction>();
        }

        var actions = new List<SafeFormAction>();
        for (var i = 0; i < changes.Count; i++)
        {
            var rules = rulesByChange[i];
            var action = changes[i] switch
            {
                CreateIndexChange index when !index.Concurrently && (rules.Contains(RuleIds.NonConcurrentIndex) || rules.Contains(RuleIds.UniqueConstraint)) =>
                    new SafeFormAction(i, SafeFormKind.CreateIndexConcurrently, index.IsUnique ? RuleIds.UniqueConstraint : RuleIds.NonConcurrentIndex)
                    {
                        PrepareSql = IsKnown([index.Name, index.TableName.Name, .. index.Columns]) ? IndexSql.DropIfInvalid(index.TableName.Schema, index.Name) : null,
                        Sql = IsKnown([index.Name, index.TableName.Name, .. index.Columns]) ? IndexSql.CreateConcurrently(index.TableName, index.Name, index.Columns, index.IsUnique) : null,
                        UndoSql = IndexSql.DropConcurrently(new DropIndexChange(index.Name, index.TableName)),
                    },
                DropIndexChange drop when rules.Contains(RuleIds.NonConcurrentDropIndex) && IndexSql.DropConcurrently(drop) is { } sql =>
                    new SafeFormAction(i, SafeFormKind.DropIndexConcurrently, RuleIds.NonConcurrentDropIndex) { Sql = sql },
                AddForeignKeyChange foreignKey when rules.Contains(RuleIds.ValidatedForeignKey) && ConstraintSql.AddNotValid(foreignKey) is { } sql
                    && ConstraintSql.Validate(foreignKey.TableName, foreignKey.Name) is { } validate =>
                    new SafeFormAction(i, SafeFormKind.AddNotValidThenValidate, RuleIds.ValidatedForeignKey) { Sql = sql, ValidateSql = validate },
                AddCheckConstraintChange check when rules.Contains(RuleIds.ValidatedCheckConstraint) && ConstraintSql.AddNotValid(check) is { } sql
                    && ConstraintSql.Validate(check.TableName, check.Name) is { } validate =>
                    new SafeFormAction(i, SafeFormKind.AddNotValidThenValidate, RuleIds.ValidatedCheckConstraint) { Sql = sql, ValidateSql = validate },
                AlterColumnChange alter when rules.Contains(RuleIds.SetNotNull) && alter.Column.IsNullable == false && alter.Old?.IsNullable == true && IsKnown(alter.TableName.Name, alter.Column.Name) =>
                    SetNotNull(i, alter.TableName, alter.Column.Name),
                AddUniqueConstraintChange unique when rules.Contains(RuleIds.UniqueConstraint) && IsKnown([unique.Name, unique.TableName.Name, .. unique.Columns]) =>
                    ThroughConcurrentIndex(i, RuleIds.UniqueConstraint, unique.TableName, unique.Name, unique.Columns, primaryKey: false),
                AddPrimaryKeyChange key when rules.Contains(RuleIds.AddPrimaryKey) && IsKnown([key.Name, key.TableName.Name, .. key.Columns]) =>
                    ThroughConcurrentIndex(i, RuleIds.AddPrimaryKey, key.TableName, key.Name, key.Columns, primaryKey: true),
                AddColumnChange add when rules.Contains(RuleIds.RewritingColumnDefault) && add.Column is { ComputedColumnSql: null, DefaultValueSql.Length: > 0 } && IsKnown(add.TableName.Name, add.Column.Name) =>
                    SetNotNull(i, add.TableName, add.Column.Name) with { Kind = SafeFormKind.AddThenSetVolatileDefault, RuleId = RuleIds.RewritingColumnDefault },
                AddColumnChange add when rules.Contains(RuleIds.RequiredColumnWithoutDefault) && IsKnown(add.TableName.Name, add.Column.Name) =>
                    SetNotNull(i, add.TableName, add.Column.Name) with { Kind = SafeFormKind.AddNullableThenSetNotNull, RuleId = RuleIds.RequiredColumnWithoutDefault },
                RenameColumnChange rename when rules.Contains(RuleIds.RenameColumn) && IsKnown(rename.TableName.Name, rename.Column, rename.NewName) =>
                    new SafeFormAction(i, SafeFormKind.RenameThroughExpandContract, RuleIds.RenameColumn),
                DropColumnChange when rules.Contains(RuleIds.DropColumn) => new SafeFormAction(i, SafeFormKind.DropInContractMigration, RuleIds.DropColumn),
                DropTableChange when rules.Contains(RuleIds.DropTable) => new SafeFormAction(i, SafeFormKind.DropInContractMigration, RuleIds.DropTable),
                _ => null,
            };
            if (action is not null)
            {
                actions.Add(action);
            }
        }

        return actions;
    }

    /// <summary>The not-null recipe's statements for a column (the safemig-not-null template writes the same).</summary>
    public static SafeFormAction SetNotNull(int index, TableName table, string column, string? checkName = null)
    {
        var check = checkName ?? ConstraintSql.NotNullCheckName(table, column);
        return new SafeFormAction(index, SafeFormKind.SetNotNullThroughCheck, RuleIds.SetNotNull)
        {
            Sql = ConstraintSql.AddNotNullCheck(table, column, check),
            UndoSql = ConstraintSql.Drop(table, check),
            ValidateSql = ConstraintSql.Validate(table, check),
            FinishSql = ConstraintSql.Drop(table, check),
            UndoFinishSql = ConstraintSql.AddNotNullCheck(table, column, check),
        };
    }

    /// <summary>
    /// The batched backfill that gives a column's NULLs <paramref name="value"/> (SQL: an expression, or DEFAULT for the
    /// column's default) before the not-null check is validated; it walks the table's primary key.
    /// </summary>
    public static BackfillSpec FillNulls(TableName table, string column, string value) =>
        new(table.Schema, table.Name, string.Empty, PostgresIdentifiers.Quote(column) + " = " + value, PostgresIdentifiers.Quote(column) + " IS NULL", 1000, 0);

    /// <summary>A unique index built concurrently alone (re-runnable), then attached as the constraint with a brief lock.</summary>
    private static SafeFormAction ThroughConcurrentIndex(int index, string ruleId, TableName table, string name, IReadOnlyList<string> columns, bool primaryKey) =>
        new(index, SafeFormKind.UniqueThroughConcurrentIndex, ruleId)
        {
            PrepareSql = IndexSql.DropIfInvalid(table.Schema, name),
            Sql = IndexSql.CreateConcurrently(table, name, columns, unique: true),
            UndoSql = IndexSql.DropConcurrently(new DropIndexChange(name, table)),
            FinishSql = ConstraintSql.AddUsingIndex(table, name, name, primaryKey),
            UndoFinishSql = ConstraintSql.Drop(table, name),
        };

    private static bool IsKnown(params string[] names) => names.All(n => n.Length > 0 && n != "?");
}
