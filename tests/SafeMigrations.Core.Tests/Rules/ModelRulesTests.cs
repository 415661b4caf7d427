using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Tests.Rules;

/// <summary>SM2xxx: the snapshot as EF wrote it against the entity classes as they are now.</summary>
[TestClass]
public sealed class ModelRulesTests
{
    private const string TodoItem = "Todo.Models.TodoItem";
    private static readonly SourceLocation ClassLocation = new("TodoItem.cs", 3, 14);
    private static readonly SourceLocation ContextLocation = new("TodoDbContext.cs", 5, 14);

    private static PropertyShape Snapshot(string name, string type, bool nullable = false, int? maxLength = null, string? column = null) =>
        new(name, type, nullable) { MaxLength = maxLength, ColumnName = column ?? ToSnakeCase(name), ColumnNameIsExplicit = true };

    private static PropertyShape Current(string name, string type, bool nullable = false, int? maxLength = null, string? column = null, bool hasDefault = false, int line = 10) =>
        new(name, type, nullable) { MaxLength = maxLength, ColumnName = column ?? name, ColumnNameIsExplicit = column is not null, HasDefault = hasDefault, Location = new SourceLocation("TodoItem.cs", line, 5) };

    private static readonly PropertyShape[] SnapshotTodo =
    [
        Snapshot("Id", "int"),
        Snapshot("Title", "string", maxLength: 255),
        Snapshot("Description", "string", nullable: true, maxLength: 1000),
        Snapshot("DueDate", "DateTimeOffset?", nullable: true),
        Snapshot("OwnerId", "int") with { MayBeShadow = true },
    ];

    private static readonly PropertyShape[] CurrentTodo =
    [
        Current("Id", "int", line: 5),
        Current("Title", "string", maxLength: 255, line: 6),
        Current("Description", "string", nullable: true, maxLength: 1000, line: 7),
        Current("DueDate", "DateTimeOffset?", nullable: true, line: 8),
        Current("OwnerId", "int", line: 9),
    ];

    private static IReadOnlyList<Finding> Compare(IEnumerable<PropertyShape> current, IEnumerable<PropertyShape>? snapshot = null, string? currentTable = "TodoItems", bool explicitTable = false, AnalysisOptions? options = null)
    {
        var before = new EntityModel("TodoDbContext", [new EntityShape(TodoItem, "todo_items", (snapshot ?? SnapshotTodo).ToList()) { TableNameIsExplicit = true }]);
        var after = new EntityModel("TodoDbContext", [new EntityShape(TodoItem, currentTable, current.ToList()) { TableNameIsExplicit = explicitTable, Location = ClassLocation }])
        {
            ContextLocation = ContextLocation,
        };
        return new ModelChangeAnalyzer(options).Analyze(before, after);
    }

    private static PropertyShape[] Replace(string name, PropertyShape? with) =>
        CurrentTodo.Select(p => p.Name == name ? with : p).Where(p => p is not null).Select(p => p!).ToArray();

    [TestMethod]
    public void An_unchanged_model_under_a_snake_case_convention_gives_nothing()
    {
        Assert.IsEmpty(Compare(CurrentTodo));
    }

    [TestMethod]
    public void SM2001_a_removed_property_is_reported_on_the_class_and_names_the_column()
    {
        var finding = Compare(Replace("Description", null)).Single(RuleIds.RemovedProperty);
        Assert.AreEqual(ClassLocation, finding.Location);
        StringAssert.Contains(finding.Message, "\"description\"");
        StringAssert.Contains(finding.Message, "\"todo_items\"");
        Assert.AreEqual(Severity.Warning, finding.Severity);
    }

    [TestMethod]
    public void SM2001_does_not_fire_for_a_possible_shadow_foreign_key()
    {
        Compare(Replace("OwnerId", null)).AssertNone(RuleIds.RemovedProperty);
    }

    [TestMethod]
    public void SM2002_a_same_typed_replacement_looks_renamed_and_is_reported_on_the_new_property()
    {
        var findings = Compare(Replace("Description", Current("Notes", "string", nullable: true, maxLength: 1000, line: 7)));
        var finding = findings.Single(RuleIds.RenamedProperty);
        Assert.AreEqual(7, finding.Location!.Line);
        StringAssert.Contains(finding.Message, "[Column(\"description\")]");
        findings.AssertNone(RuleIds.RemovedProperty);
        findings.AssertNone(RuleIds.RequiredPropertyWithoutDefault);
    }

    [TestMethod]
    public void SM2002_pairs_the_closest_properties_a_required_one_removed_is_not_an_optional_one_renamed()
    {
        // Title (required, 255) removed and Description (optional, 1000) renamed to Remarks, in one change: the optional
        // Remarks is Description, whatever order the snapshot lists them in.
        var current = CurrentTodo.Where(p => p.Name is not ("Title" or "Description")).Append(Current("Remarks", "string", nullable: true, maxLength: 1000, line: 11));
        var findings = Compare(current);

        StringAssert.Contains(findings.Single(RuleIds.RenamedProperty).Message, "Remarks looks like Description renamed");
        StringAssert.Contains(findings.Single(RuleIds.RemovedProperty).Message, "Title");
    }

    [TestMethod]
    public void SM2002_a_rename_that_keeps_the_column_mapped_changes_nothing()
    {
        Assert.IsEmpty(Compare(Replace("Description", Current("Notes", "string", nullable: true, maxLength: 1000, column: "description"))));
    }

    [TestMethod]
    public void SM2002_an_explicit_column_name_change_is_a_rename()
    {
        var findings = Compare(Replace("Title", Current("Title", "string", maxLength: 255, column: "name", line: 6)));
        StringAssert.Contains(findings.Single(RuleIds.RenamedProperty).Message, "\"name\" instead of \"title\"");
    }

    [TestMethod]
    public void SM2001_not_SM2002_when_the_new_property_has_another_type()
    {
        var findings = Compare(Replace("Description", Current("Estimate", "int", nullable: true)));
        findings.Single(RuleIds.RemovedProperty);
        findings.AssertNone(RuleIds.RenamedProperty);
    }

    [TestMethod]
    public void SM2003_a_new_required_property_without_default_is_reported_nullable_or_defaulted_is_not()
    {
        var required = Compare([.. CurrentTodo, Current("Estimate", "int", line: 12)]).Single(RuleIds.RequiredPropertyWithoutDefault);
        Assert.AreEqual(12, required.Location!.Line);
        Compare([.. CurrentTodo, Current("Estimate", "int?", nullable: true)]).AssertNone(RuleIds.RequiredPropertyWithoutDefault);
        Compare([.. CurrentTodo, Current("Estimate", "int", hasDefault: true)]).AssertNone(RuleIds.RequiredPropertyWithoutDefault);
    }

    [TestMethod]
    public void SM2003_names_the_value_existing_rows_get_and_is_information_for_a_false_flag()
    {
        var number = Compare([.. CurrentTodo, Current("Estimate", "int")]).Single(RuleIds.RequiredPropertyWithoutDefault);
        StringAssert.Contains(number.Message, "every existing row with 0");
        Assert.AreEqual(Severity.Warning, number.Severity);
        var flag = Compare([.. CurrentTodo, Current("IsArchived", "bool")]).Single(RuleIds.RequiredPropertyWithoutDefault);
        StringAssert.Contains(flag.Message, "with false");
        Assert.AreEqual(Severity.Info, flag.Severity, "a rule may report lower than its default; only a configured severity replaces it");
    }

    [TestMethod]
    public void SM2003_does_not_fire_on_a_new_entity()
    {
        var before = new EntityModel("TodoDbContext", []);
        var after = new EntityModel("TodoDbContext", [new EntityShape(TodoItem, "TodoItems", CurrentTodo)]) { ContextLocation = ContextLocation };
        var findings = new ModelChangeAnalyzer().Analyze(before, after);
        findings.AssertNone(RuleIds.RequiredPropertyWithoutDefault);
        StringAssert.Contains(findings.Single(RuleIds.PendingModelChanges).Message, "TodoItem added");
    }

    [TestMethod]
    public void SM2004_a_type_change_is_reported_but_nullability_alone_is_not_a_type_change()
    {
        var finding = Compare(Replace("Id", Current("Id", "long", line: 5))).Single(RuleIds.PropertyTypeChange);
        StringAssert.Contains(finding.Message, "from int to long");
        Compare(Replace("DueDate", Current("DueDate", "DateTimeOffset", line: 8))).AssertNone(RuleIds.PropertyTypeChange);
    }

    [TestMethod]
    public void SM2005_lowering_or_adding_a_max_length_is_reported_raising_or_removing_it_is_not()
    {
        Compare(Replace("Title", Current("Title", "string", maxLength: 100))).Single(RuleIds.MaxLengthReduced);
        Compare(Replace("DueDate", Current("DueDate", "DateTimeOffset?", nullable: true, maxLength: 10))).Single(RuleIds.MaxLengthReduced);
        Compare(Replace("Title", Current("Title", "string", maxLength: 500))).AssertNone(RuleIds.MaxLengthReduced);
        Compare(Replace("Title", Current("Title", "string"))).AssertNone(RuleIds.MaxLengthReduced);
    }

    [TestMethod]
    public void SM2006_nullable_to_required_is_reported_the_other_way_is_not()
    {
        var finding = Compare(Replace("Description", Current("Description", "string", maxLength: 1000, line: 7))).Single(RuleIds.PropertyMadeRequired);
        Assert.AreEqual(7, finding.Location!.Line);
        Compare(Replace("Title", Current("Title", "string", nullable: true, maxLength: 255))).AssertNone(RuleIds.PropertyMadeRequired);
    }

    [TestMethod]
    public void SM2007_a_removed_entity_is_reported_on_the_context()
    {
        var before = new EntityModel("TodoDbContext", [new EntityShape(TodoItem, "todo_items", SnapshotTodo) { TableNameIsExplicit = true }]);
        var after = new EntityModel("TodoDbContext", []) { ContextLocation = ContextLocation };
        var finding = new ModelChangeAnalyzer().Analyze(before, after).Single(RuleIds.RemovedEntity);
        Assert.AreEqual(ContextLocation, finding.Location);
        StringAssert.Contains(finding.Message, "drops table \"todo_items\"");
    }

    [TestMethod]
    public void SM2007_not_when_the_class_is_renamed_but_keeps_its_table_or_most_properties()
    {
        var before = new EntityModel("TodoDbContext", [new EntityShape(TodoItem, "todo_items", SnapshotTodo) { TableNameIsExplicit = true }]);
        var keptTable = new EntityModel("TodoDbContext", [new EntityShape("Todo.Models.TaskItem", "todo_items", CurrentTodo) { TableNameIsExplicit = true }]);
        Assert.IsEmpty(new ModelChangeAnalyzer().Analyze(before, keptTable));
        var renamedTable = new EntityModel("TodoDbContext", [new EntityShape("Todo.Models.TaskItem", "Tasks", CurrentTodo) { Location = ClassLocation }]);
        var findings = new ModelChangeAnalyzer().Analyze(before, renamedTable);
        findings.AssertNone(RuleIds.RemovedEntity);
        Assert.AreEqual(ClassLocation, findings.Single(RuleIds.TableNameChange).Location);
    }

    [TestMethod]
    public void SM2008_an_explicit_table_name_change_is_reported_on_the_class()
    {
        var finding = Compare(CurrentTodo, currentTable: "tasks", explicitTable: true).Single(RuleIds.TableNameChange);
        Assert.AreEqual(ClassLocation, finding.Location);
        StringAssert.Contains(finding.Message, "[Table(\"todo_items\")]");
        Compare(CurrentTodo, currentTable: "todo_items", explicitTable: true).AssertNone(RuleIds.TableNameChange);
        Compare(CurrentTodo, currentTable: "Todo_Items", explicitTable: true).Single(RuleIds.TableNameChange);
    }

    [TestMethod]
    public void SM2009_lists_the_differences_once_on_the_context()
    {
        var findings = Compare([.. Replace("Description", null), Current("Estimate", "int?", nullable: true)]);
        var pending = findings.Single(RuleIds.PendingModelChanges);
        Assert.AreEqual(Severity.Info, pending.Severity);
        Assert.AreEqual(ContextLocation, pending.Location);
        StringAssert.Contains(pending.Message, "TodoItem.Estimate added");
        StringAssert.Contains(pending.Message, "TodoItem.Description removed");
    }

    [TestMethod]
    public void Configured_severities_apply_and_none_turns_a_rule_off()
    {
        var options = new AnalysisOptions
        {
            Severities = new Dictionary<string, Severity> { [RuleIds.RemovedProperty] = Severity.Error, [RuleIds.PendingModelChanges] = Severity.None },
        };
        var findings = Compare(Replace("Description", null), options: options);
        Assert.AreEqual(Severity.Error, findings.Single(RuleIds.RemovedProperty).Severity);
        findings.AssertNone(RuleIds.PendingModelChanges);
    }

    private static string ToSnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
