using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using SafeMigrations.Core.EntityFramework;
using SafeMigrations.Core.Gate;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Design;

/// <summary>One migration of a safe form: its class name's suffix, its operations both ways, and the attributes it needs.</summary>
internal sealed record SafeFormStep(string Suffix, List<MigrationOperation> Up, List<MigrationOperation> Down, bool IsContract = false)
{
    /// <summary>C# attribute lines written above the class ([ContractMigration], [SuppressMigrationRule]).</summary>
    public List<string> Attributes { get; } = [];
}

/// <summary>
/// Turns the operations EF scaffolded into the migrations of their safe forms, as Core's <see cref="SafeFormPlanner"/>
/// chose them: the main migration (EF's id, Designer and snapshot), then one migration per concurrent index step, the
/// validations, the steps that finish a recipe, and last the contract migrations: the NOT NULL recipe (the previous
/// release may still write NULL until it is gone) and the drops. Pure over EF's operations.
/// </summary>
internal sealed class SafeFormSequence
{
    private readonly List<MigrationOperation> down;
    private readonly IReadOnlyList<Core.Model.SchemaChange> changes;
    private readonly IRelationalModel model;
    private readonly bool canWriteAttributes;
    private readonly IReadOnlyDictionary<string, string> fillValues;

    /// <param name="fills">The value (SQL) existing NULLs of a column get before it becomes NOT NULL, by column or table.column (--fill).</param>
    /// <param name="changes">Core's changes, one per operation of Up (what the planner's actions index).</param>
    public SafeFormSequence(List<MigrationOperation> down, IReadOnlyList<Core.Model.SchemaChange> changes, IRelationalModel model, bool canWriteAttributes, IReadOnlyDictionary<string, string>? fills = null)
    {
        this.down = down;
        this.changes = changes;
        this.model = model;
        this.canWriteAttributes = canWriteAttributes;
        fillValues = fills ?? new Dictionary<string, string>();
    }

    public List<MigrationOperation> MainUp { get; } = [];

    public List<SafeFormStep> Steps { get; } = [];

    /// <summary>What the caller must know: a recipe left in EF's form, a next command.</summary>
    public List<string> Notes { get; } = [];

    private readonly List<MigrationOperation> validations = [];
    private readonly SafeFormStep finish = new("Finish", [], []);

    // The NOT NULL recipe, once the previous release (which may write NULL) is gone: each a migration of its own, as a
    // batched fill runs outside a transaction and the check's brief ACCESS EXCLUSIVE must not last through its validation.
    private readonly List<SafeFormStep> fills = [];
    private readonly SafeFormStep requireNotNull = new("RequireNotNull", [], [], IsContract: true);
    private readonly SafeFormStep validateNotNull = new("ValidateNotNull", [], [], IsContract: true);
    private readonly SafeFormStep setNotNull = new("SetNotNull", [], [], IsContract: true);
    private readonly SafeFormStep contract = new("Contract", [], [], IsContract: true);

    /// <summary>The backfills of the Fill steps (one per column: a batched fill runs alone), by the placeholder SQL their operations carry until the code is written.</summary>
    public Dictionary<string, Core.Runner.BackfillSpec> Backfills { get; } = [];

    /// <summary>Up's AlterColumns of renamed columns (a new type with the new name): part of the rename's expand/contract.</summary>
    private List<AlterColumnOperation> retyped = [];

    /// <summary>The main migration's Down: EF's, less what moved to other steps, with what undoes the main migration's own SQL.</summary>
    public List<MigrationOperation> MainDown { get; } = [];

    /// <summary>Attribute lines for the main migration's class (when a step took its place).</summary>
    public List<string> MainAttributes { get; } = [];

    public void Build(IReadOnlyList<MigrationOperation> up, IReadOnlyList<SafeFormAction> actions, string mainName)
    {
        var byIndex = actions.ToDictionary(a => a.Index);
        // A rename's AlterColumn (a new type for the renamed column) belongs to the rename's expand/contract.
        var renames = actions.Where(a => a.Kind == SafeFormKind.RenameThroughExpandContract).Select(a => up[a.Index]).OfType<RenameColumnOperation>().ToList();
        retyped = up.OfType<AlterColumnOperation>().Where(alter => renames.Any(r => r.Table == alter.Table && r.Schema == alter.Schema && r.NewName == alter.Name)).ToList();
        // A changed primary key: the old one is dropped just before the new one takes over its index, not while it is built.
        var keyed = actions.Where(a => a.RuleId == RuleIds.AddPrimaryKey).Select(a => up[a.Index]).OfType<AddPrimaryKeyOperation>().ToList();
        var oldKeys = up.OfType<DropPrimaryKeyOperation>().Where(d => keyed.Any(k => k.Table == d.Table && k.Schema == d.Schema)).ToList();
        finish.Up.AddRange(oldKeys);
        var undoMain = new List<MigrationOperation>();
        for (var i = 0; i < up.Count; i++)
        {
            if (retyped.Contains(up[i]) && canWriteAttributes || oldKeys.Contains(up[i]))
            {
                continue;
            }

            if (!byIndex.TryGetValue(i, out var action) || !Apply(up[i], action, mainName, undoMain))
            {
                MainUp.Add(up[i]);
            }
        }

        if (validations.Count > 0)
        {
            Steps.Add(new SafeFormStep("ValidateConstraints", validations, []));
        }

        if (finish.Up.Count > 0)
        {
            Steps.Add(finish);
        }

        foreach (var step in fills.Concat([requireNotNull, validateNotNull, setNotNull, contract]).Where(s => s.Up.Count > 0))
        {
            step.Attributes.Insert(0, $"[SafeMigrations.ContractMigration(Justification = {Literal(step == contract ? ContractJustification(mainName) : NotNullJustification(mainName))})]");
            Steps.Add(step);
        }

        undoMain.Reverse();
        MainDown.AddRange(undoMain);
        MainDown.AddRange(down);

        // Nothing left for the main migration (the change was only an index): the first step takes its place, attributes
        // and all; never the contract, which must stay a migration of its own.
        if (MainUp.Count == 0 && Steps.Count > 0 && !Steps[0].IsContract)
        {
            MainUp.AddRange(Steps[0].Up);
            MainDown.InsertRange(0, Steps[0].Down);
            MainAttributes.AddRange(Steps[0].Attributes);
            Steps.RemoveAt(0);
        }
    }

    /// <summary>Moves one operation into its safe form; false to keep it as EF wrote it.</summary>
    private bool Apply(MigrationOperation operation, SafeFormAction action, string mainName, List<MigrationOperation> undoMain)
    {
        switch (action.Kind, operation)
        {
            case (SafeFormKind.CreateIndexConcurrently, CreateIndexOperation index) when canWriteAttributes && IsPlain(index) && action.Sql is not null:
                // Core's re-runnable form (the safemig-index template's): a failed build's INVALID index is dropped first.
                Take<DropIndexOperation>(d => d.Name == index.Name);
                Steps.Add(RerunnableBuild("Create" + MigrationNamer.Pascal(index.Name) + "Concurrently", action));
                return true;
            case (SafeFormKind.CreateIndexConcurrently, CreateIndexOperation index):
                // An index with a filter, a method, sort orders or options: Npgsql writes it, concurrently.
                index.AddAnnotation(NpgsqlAnnotations.CreatedConcurrently, true);
                Steps.Add(new SafeFormStep("Create" + MigrationNamer.Pascal(index.Name) + "Concurrently", [index], Take<DropIndexOperation>(d => d.Name == index.Name)));
                return true;
            case (SafeFormKind.DropIndexConcurrently, DropIndexOperation dropIndex):
                Steps.Add(new SafeFormStep("Drop" + MigrationNamer.Pascal(dropIndex.Name) + "Concurrently", [Sql(action.Sql!, outside: true)], Take<CreateIndexOperation>(c => c.Name == dropIndex.Name)));
                return true;
            case (SafeFormKind.AddNotValidThenValidate, _):
                MainUp.Add(Sql(action.Sql!));
                validations.Add(Sql(action.ValidateSql!));
                return true;
            case (SafeFormKind.SetNotNullThroughCheck, AlterColumnOperation alter) when canWriteAttributes:
                SetNotNull(alter, action);
                return true;
            case (SafeFormKind.AddNullableThenSetNotNull, AddColumnOperation add) when canWriteAttributes:
                AddNullable(add, action);
                return true;
            case (SafeFormKind.AddThenSetVolatileDefault, AddColumnOperation add) when canWriteAttributes || add.IsNullable:
                AddThenSetDefault(add, action);
                return true;
            case (SafeFormKind.UniqueThroughConcurrentIndex, AddUniqueConstraintOperation or AddPrimaryKeyOperation):
                var (name, table, schema) = operation switch
                {
                    AddUniqueConstraintOperation unique => (unique.Name, unique.Table, unique.Schema),
                    AddPrimaryKeyOperation key => (key.Name, key.Table, key.Schema),
                    _ => throw new InvalidOperationException(),
                };
                Take<DropUniqueConstraintOperation>(d => d.Name == name && d.Table == table && d.Schema == schema);
                Steps.Add(canWriteAttributes
                    ? RerunnableBuild("Create" + MigrationNamer.Pascal(name) + "Concurrently", action)
                    : new SafeFormStep("Create" + MigrationNamer.Pascal(name) + "Concurrently", [Sql(action.Sql!, outside: true)], [Sql(action.UndoSql!, outside: true)]));
                finish.Up.Add(Sql(action.FinishSql!));
                finish.Down.Add(Sql(action.UndoFinishSql!));
                // EF's Down drops the new key and adds the old one back: the finish's Down drops it, then puts the old one back.
                Take<DropPrimaryKeyOperation>(d => operation is AddPrimaryKeyOperation && d.Name == name && d.Table == table && d.Schema == schema);
                finish.Down.AddRange(Take<AddPrimaryKeyOperation>(k => operation is AddPrimaryKeyOperation && k.Table == table && k.Schema == schema));
                return true;
            case (SafeFormKind.SetNotNullThroughCheck or SafeFormKind.AddNullableThenSetNotNull, _):
                Notes.Add($"{Describe(operation)} stays in the migration as EF wrote it: the NOT NULL recipe runs in [ContractMigration]s, which need the SafeMigrations.Abstractions package (dotnet add package SafeMigrations.Abstractions), then run dotnet safemig migrations add again.");
                return false;
            case (SafeFormKind.DropInContractMigration, DropColumnOperation dropColumn) when canWriteAttributes:
                StopMapping(dropColumn, undoMain);
                contract.Up.Add(dropColumn);
                contract.Down.InsertRange(0, Take<AddColumnOperation>(a => a.Name == dropColumn.Name && a.Table == dropColumn.Table && a.Schema == dropColumn.Schema));
                AddSuppression(action.RuleId, mainName);
                return true;
            case (SafeFormKind.DropInContractMigration, DropTableOperation dropTable) when canWriteAttributes:
                contract.Up.Add(dropTable);
                contract.Down.InsertRange(0, Take<MigrationOperation>(o => o is CreateTableOperation t && t.Name == dropTable.Name && t.Schema == dropTable.Schema
                    || o is CreateIndexOperation i && i.Table == dropTable.Name && i.Schema == dropTable.Schema));
                AddSuppression(action.RuleId, mainName);
                return true;
            case (SafeFormKind.RenameThroughExpandContract, RenameColumnOperation rename) when canWriteAttributes && model.FindTable(rename.Table, rename.Schema)?.FindColumn(rename.NewName) is { } column:
                Rename(rename, column, undoMain);
                AddSuppression(RuleIds.DropColumn, mainName);
                return true;
            case (SafeFormKind.DropInContractMigration, _):
                Notes.Add($"{Describe(operation)} stays in the migration as EF wrote it: the contract form needs [ContractMigration] from the SafeMigrations.Abstractions package (dotnet add package SafeMigrations.Abstractions), then run dotnet safemig migrations add again.");
                return false;
            default:
                return false;
        }
    }

    /// <summary>A concurrent build alone in its migration, after the drop of an INVALID index a failed build left, with the suppressions that say why.</summary>
    private static SafeFormStep RerunnableBuild(string suffix, SafeFormAction action)
    {
        var step = new SafeFormStep(suffix, [Sql(action.PrepareSql!), Sql(action.Sql!, outside: true)], [Sql(action.UndoSql!, outside: true)]);
        step.Attributes.AddRange(IndexSql.RerunnableBuildSuppressions.Select(s => $"[SafeMigrations.SuppressMigrationRule({Literal(s.RuleId)}, Justification = {Literal(s.Justification)})]"));
        return step;
    }

    /// <summary>An index Core's statement writes exactly: columns only, no filter, method, sort order, collation or options.</summary>
    private static bool IsPlain(CreateIndexOperation index) =>
        index.Filter is null && index.Columns.Length > 0 && (index.IsDescending is null || index.IsDescending.All(d => !d)) && !index.GetAnnotations().Any();

    /// <summary>
    /// The column stays nullable in this release's migrations; the contract fills its NULLs (with the default the model
    /// configures, which this migration sets, or the --fill value), adds the check, validates it, then SET NOT NULL without
    /// a scan. EF fills in the CLR default ('' or 0) and Npgsql would update every NULL to it: never, unless the model says so.
    /// </summary>
    private void SetNotNull(AlterColumnOperation alter, SafeFormAction action)
    {
        var configured = SafeFormPlanner.ColumnNeedingFill(changes[action.Index], action) is null;
        if (configured)
        {
            MainUp.Add(new AlterColumnOperation
            {
                Schema = alter.Schema, Table = alter.Table, Name = alter.Name, ClrType = alter.ClrType, ColumnType = alter.ColumnType, MaxLength = alter.MaxLength,
                IsNullable = true, DefaultValue = alter.DefaultValue, DefaultValueSql = alter.DefaultValueSql,
                OldColumn = new AddColumnOperation { Name = alter.Name, Table = alter.Table, Schema = alter.Schema, ClrType = alter.OldColumn.ClrType, ColumnType = alter.OldColumn.ColumnType, MaxLength = alter.OldColumn.MaxLength, IsNullable = true },
            });
        }

        // SET NOT NULL alone: the default, if any, is already set; without one, no UPDATE to a made-up value.
        alter.DefaultValue = null;
        alter.DefaultValueSql = null;
        alter.OldColumn.DefaultValue = null;
        alter.OldColumn.DefaultValueSql = null;
        var undo = Take<AlterColumnOperation>(d => d.Table == alter.Table && d.Schema == alter.Schema && d.Name == alter.Name);
        RequireLater(alter.Table, alter.Schema, alter.Name, action, alter, undo, configured ? "DEFAULT" : null, unfilled: "rows that hold NULL make");
    }

    /// <summary>SM1004: the column added nullable and without EF's made-up default; the contract makes it NOT NULL.</summary>
    private void AddNullable(AddColumnOperation add, SafeFormAction action)
    {
        var required = new AlterColumnOperation
        {
            Schema = add.Schema, Table = add.Table, Name = add.Name, ClrType = add.ClrType, ColumnType = add.ColumnType, MaxLength = add.MaxLength, IsNullable = false,
            OldColumn = new AddColumnOperation { Schema = add.Schema, Table = add.Table, Name = add.Name, ClrType = add.ClrType, ColumnType = add.ColumnType, MaxLength = add.MaxLength, IsNullable = true },
        };
        var undo = new AlterColumnOperation
        {
            Schema = add.Schema, Table = add.Table, Name = add.Name, ClrType = add.ClrType, ColumnType = add.ColumnType, MaxLength = add.MaxLength, IsNullable = true,
            OldColumn = new AddColumnOperation { Schema = add.Schema, Table = add.Table, Name = add.Name, ClrType = add.ClrType, ColumnType = add.ColumnType, MaxLength = add.MaxLength, IsNullable = false },
        };
        var configured = SafeFormPlanner.ColumnNeedingFill(changes[action.Index], action) is null;
        if (!configured)
        {
            add.DefaultValue = null;
            add.DefaultValueSql = null;
        }

        add.IsNullable = true;
        MainUp.Add(add);
        RequireLater(add.Table, add.Schema, add.Name, action, required, [undo], configured ? "DEFAULT" : null, unfilled: "every existing row holds NULL in it, which makes");
    }

    /// <summary>
    /// SM1005: the column added without its volatile default (no rewrite), then SET DEFAULT for new rows; the rows already
    /// there filled in batches with SET c = DEFAULT (computed per row): in this release for a nullable column, else by the
    /// contract's NOT NULL recipe.
    /// </summary>
    private void AddThenSetDefault(AddColumnOperation add, SafeFormAction action)
    {
        var expression = add.DefaultValueSql;
        var nullable = add.IsNullable;
        add.DefaultValueSql = null;
        add.DefaultValue = null; // EF fills in the CLR default (Guid.Empty) beside a DefaultValueSql: every row would keep it
        add.IsNullable = true;
        MainUp.Add(add);
        AddColumnOperation Column(bool isNullable, string? defaultSql) =>
            new() { Schema = add.Schema, Table = add.Table, Name = add.Name, ClrType = add.ClrType, ColumnType = add.ColumnType, MaxLength = add.MaxLength, IsNullable = isNullable, DefaultValueSql = defaultSql };
        var withDefault = Column(true, expression);
        MainUp.Add(new AlterColumnOperation
        {
            Schema = add.Schema, Table = add.Table, Name = add.Name, ClrType = add.ClrType, ColumnType = add.ColumnType, MaxLength = add.MaxLength, IsNullable = true, DefaultValueSql = expression,
            OldColumn = Column(true, null),
        });
        if (nullable)
        {
            var placeholder = BackfillPlaceholder + Backfills.Count;
            Backfills[placeholder] = SafeFormPlanner.FillNulls(new Core.Model.TableName(add.Table, add.Schema), add.Name, "DEFAULT");
            Steps.Add(new SafeFormStep("Fill" + MigrationNamer.Pascal(add.Name), [Sql(placeholder, outside: true)], []));
            return;
        }

        var required = new AlterColumnOperation
        {
            Schema = add.Schema, Table = add.Table, Name = add.Name, ClrType = add.ClrType, ColumnType = add.ColumnType, MaxLength = add.MaxLength, IsNullable = false, DefaultValueSql = expression,
            OldColumn = withDefault,
        };
        var undo = new AlterColumnOperation
        {
            Schema = add.Schema, Table = add.Table, Name = add.Name, ClrType = add.ClrType, ColumnType = add.ColumnType, MaxLength = add.MaxLength, IsNullable = true, DefaultValueSql = expression,
            OldColumn = Column(false, expression),
        };
        RequireLater(add.Table, add.Schema, add.Name, action, required, [undo], "DEFAULT", unfilled: null);
    }

    /// <summary>The contract's NOT NULL recipe for one column: fill, check NOT VALID, validate, SET NOT NULL and drop the check.</summary>
    private void RequireLater(string tableName, string? schema, string columnName, SafeFormAction action, AlterColumnOperation required, List<MigrationOperation> undoRequired, string? defaultFill, string? unfilled)
    {
        var table = new Core.Model.TableName(tableName, schema);
        var fill = Fill(tableName, columnName) ?? defaultFill;
        if (fill is not null)
        {
            var placeholder = BackfillPlaceholder + Backfills.Count;
            Backfills[placeholder] = SafeFormPlanner.FillNulls(table, columnName, fill);
            fills.Add(new SafeFormStep("Fill" + MigrationNamer.Pascal(columnName), [Sql(placeholder, outside: true)], [], IsContract: true));
        }

        requireNotNull.Up.Add(Sql(action.Sql!));
        requireNotNull.Down.Add(Sql(action.UndoSql!));
        validateNotNull.Up.Add(Sql(action.ValidateSql!));
        setNotNull.Up.Add(required);
        setNotNull.Up.Add(Sql(action.FinishSql!));
        setNotNull.Down.Add(Sql(action.UndoFinishSql!));
        setNotNull.Down.AddRange(undoRequired);
        if (fill is null && unfilled is not null)
        {
            Notes.Add($"\"{columnName}\" has no default in the model: {unfilled} ValidateNotNull fail (the runner counts them first and stops). "
                + $"Give them a value: remove these migrations (dotnet ef migrations remove, once each) and run dotnet safemig migrations add again with --fill \"{columnName}=<SQL for existing rows>\".");
        }
    }

    /// <summary>The model configures a default for the column (EF's filled-in CLR default is not one).</summary>
    private static bool Configured(IColumn? column) => column is not null && (column.DefaultValue is not null || column.DefaultValueSql is not null);

    /// <summary>The --fill value for the column: by table.column, else by column.</summary>
    private string? Fill(string table, string column) =>
        fillValues.TryGetValue(table + "." + column, out var qualified) ? qualified : fillValues.TryGetValue(column, out var value) ? value : null;

    /// <summary>What a FillNulls operation carries until <see cref="MigrationCode"/> writes the backfill in its place.</summary>
    public const string BackfillPlaceholder = "safemigrations-backfill-placeholder-";

    /// <summary>
    /// Expand: the new column (nullable until the recipe makes it NOT NULL), a trigger keeping it and the old one in step,
    /// a batched copy of the existing rows; the NOT NULL recipe when the model's column is required; contract: the
    /// trigger, its function and the old column dropped, after the release that reads the old column is gone.
    /// </summary>
    private void Rename(RenameColumnOperation rename, IColumn column, List<MigrationOperation> undoMain)
    {
        var table = new Core.Model.TableName(rename.Table, rename.Schema);
        var retype = retyped.FirstOrDefault(a => a.Table == rename.Table && a.Schema == rename.Schema && a.Name == rename.NewName);
        var oldType = retype?.OldColumn.ColumnType is { } before && before != column.StoreType ? before : null;
        var newType = oldType is null ? null : column.StoreType;
        // EF's Down of the rename and of its type change (under either name): the contract's and the main migration's Downs replace them.
        Take<MigrationOperation>(o => o is RenameColumnOperation r && r.Table == rename.Table && r.Schema == rename.Schema && r.NewName == rename.Name
            || retype is not null && o is AlterColumnOperation a && a.Table == rename.Table && a.Schema == rename.Schema && (a.Name == rename.Name || a.Name == rename.NewName));
        var sync = ExpandSql.SyncName(table, rename.NewName);
        var clrType = Nullable.GetUnderlyingType(column.ProviderClrType) ?? column.ProviderClrType;

        MainUp.Add(new AddColumnOperation { Schema = rename.Schema, Table = rename.Table, Name = rename.NewName, ClrType = clrType, ColumnType = column.StoreType, IsNullable = true });
        MainUp.Add(Sql(ExpandSql.CreateSyncFunction(table, sync, rename.Name, rename.NewName, newType, oldType)));
        MainUp.Add(Sql(ExpandSql.CreateSyncTrigger(table, sync)));
        undoMain.Add(new DropColumnOperation { Schema = rename.Schema, Table = rename.Table, Name = rename.NewName });
        undoMain.Add(Sql(ExpandSql.DropSyncFunction(table, sync)));
        undoMain.Add(Sql(ExpandSql.DropSyncTrigger(table, sync)));
        Steps.Add(new SafeFormStep("Copy" + MigrationNamer.Pascal(rename.Name) + "To" + MigrationNamer.Pascal(rename.NewName), [Sql(ExpandSql.Copy(table, rename.Name, rename.NewName, newType), outside: true)], []));

        if (!column.IsNullable)
        {
            // The copy fills the new column from the old one; NULLs left are the old column's, which the previous release wrote.
            var required = new AlterColumnOperation
            {
                Schema = rename.Schema, Table = rename.Table, Name = rename.NewName, ClrType = clrType, ColumnType = column.StoreType, IsNullable = false,
                OldColumn = new AddColumnOperation { Schema = rename.Schema, Table = rename.Table, Name = rename.NewName, ClrType = clrType, ColumnType = column.StoreType, IsNullable = true },
            };
            var nullable = new AlterColumnOperation
            {
                Schema = rename.Schema, Table = rename.Table, Name = rename.NewName, ClrType = clrType, ColumnType = column.StoreType, IsNullable = true,
                OldColumn = new AddColumnOperation { Schema = rename.Schema, Table = rename.Table, Name = rename.NewName, ClrType = clrType, ColumnType = column.StoreType, IsNullable = false },
            };
            var notNull = SafeFormPlanner.SetNotNull(0, table, rename.NewName);
            // Without a default or --fill no note: the old column's values are copied, and its NULLs are what the previous release wrote.
            RequireLater(rename.Table, rename.Schema, rename.NewName, notNull, required, [nullable], Configured(column) ? "DEFAULT" : null, unfilled: null);
        }

        contract.Up.Add(Sql(ExpandSql.DropSyncTrigger(table, sync)));
        contract.Up.Add(Sql(ExpandSql.DropSyncFunction(table, sync)));
        contract.Up.Add(new DropColumnOperation { Schema = rename.Schema, Table = rename.Table, Name = rename.Name });
        contract.Down.InsertRange(0,
        [
            new AddColumnOperation { Schema = rename.Schema, Table = rename.Table, Name = rename.Name, ClrType = clrType, ColumnType = oldType ?? column.StoreType, IsNullable = true },
            Sql(ExpandSql.CreateSyncFunction(table, sync, rename.Name, rename.NewName, newType, oldType)),
            Sql(ExpandSql.CreateSyncTrigger(table, sync)),
            Sql(ExpandSql.Copy(table, rename.NewName, rename.Name, oldType), outside: true),
        ]);
    }

    /// <summary>This release stops mapping the column; a NOT NULL one becomes nullable so the release's inserts, which no longer write it, work.</summary>
    private void StopMapping(DropColumnOperation dropColumn, List<MigrationOperation> undoMain)
    {
        var definition = down.OfType<AddColumnOperation>().FirstOrDefault(a => a.Name == dropColumn.Name && a.Table == dropColumn.Table && a.Schema == dropColumn.Schema);
        // EF's Down fills a CLR default into a NOT NULL column's AddColumn: nullable is right whatever the database's default is.
        if (definition is { IsNullable: false, ComputedColumnSql: null })
        {
            MainUp.Add(new AlterColumnOperation
            {
                Schema = definition.Schema, Table = definition.Table, Name = definition.Name, ClrType = definition.ClrType, ColumnType = definition.ColumnType, MaxLength = definition.MaxLength, IsNullable = true,
                OldColumn = new AddColumnOperation { Name = definition.Name, Table = definition.Table, Schema = definition.Schema, ClrType = definition.ClrType, ColumnType = definition.ColumnType, MaxLength = definition.MaxLength, IsNullable = false },
            });
        }
    }

    private void AddSuppression(string ruleId, string mainName)
    {
        var line = $"[SafeMigrations.SuppressMigrationRule({Literal(ruleId)}, Justification = {Literal(ContractJustification(mainName))})]";
        if (!contract.Attributes.Contains(line))
        {
            contract.Attributes.Add(line);
        }
    }

    private static string ContractJustification(string mainName) =>
        $"written by dotnet safemig migrations add: the model stopped mapping what this drops in {mainName}; apply it once no instance of the release before {mainName} runs (dotnet safemig apply --phase contract)";

    private static string NotNullJustification(string mainName) =>
        $"written by dotnet safemig migrations add: the release before {mainName} may still write NULL into what this makes NOT NULL; apply it once no instance of it runs (dotnet safemig apply --phase contract)";

    private List<MigrationOperation> Take<T>(Func<T, bool> match)
        where T : MigrationOperation
    {
        var taken = down.OfType<T>().Where(match).Cast<MigrationOperation>().ToList();
        down.RemoveAll(taken.Contains);
        return taken;
    }

    private static SqlOperation Sql(string sql, bool outside = false) => new() { Sql = sql, SuppressTransaction = outside };

    private static string Literal(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public static string Describe(MigrationOperation operation) => operation switch
    {
        DropColumnOperation c => $"the drop of column {c.Table}.{c.Name}",
        DropTableOperation t => $"the drop of table {t.Name}",
        _ => operation.GetType().Name,
    };
}
