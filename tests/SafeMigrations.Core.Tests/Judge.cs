using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Tests;

/// <summary>Builds migrations in tests and runs the analyzer on them.</summary>
internal static class Judge
{
    public static readonly TableName Tasks = new("todo_items");
    public static readonly TableName Users = new("users");

    public static IReadOnlyList<Finding> Up(params SchemaChange[] operations) =>
        new MigrationAnalyzer().Analyze(Migration(operations));

    public static IReadOnlyList<Finding> Up(AnalysisOptions options, params SchemaChange[] operations) =>
        new MigrationAnalyzer(options).Analyze(Migration(operations));

    public static IReadOnlyList<Finding> UpSql(string sql, bool suppressTransaction = false) =>
        Up(new RawSqlChange(sql) { SuppressTransaction = suppressTransaction, Location = new SourceLocation("M.cs", 12, 13) });

    public static MigrationDefinition Migration(params SchemaChange[] operations) =>
        new("20260101000000_Test", operations) { DownState = DownState.Present, DownOperations = [new OtherStatementChange("inverse", true)] };

    public static IReadOnlyList<string> Ids(this IEnumerable<Finding> findings) => findings.Select(f => f.RuleId).ToList();

    public static Finding Single(this IEnumerable<Finding> findings, string ruleId)
    {
        var matching = findings.Where(f => f.RuleId == ruleId).ToList();
        Assert.HasCount(1, matching, "findings: " + string.Join(" | ", findings));
        return matching[0];
    }

    public static void AssertNone(this IEnumerable<Finding> findings, string ruleId) =>
        Assert.IsFalse(findings.Any(f => f.RuleId == ruleId), "unexpected " + ruleId + ": " + string.Join(" | ", findings));

    public static void AssertClean(this IEnumerable<Finding> findings) =>
        Assert.IsFalse(findings.Any(f => f.Severity >= Severity.Warning), "expected no warnings or errors: " + string.Join(" | ", findings));

    public static CreateTableChange NewTable(TableName name, params ColumnDefinition[] columns) =>
        new(name, columns.Length > 0 ? columns : [new ColumnDefinition("id") { StoreType = "bigint", IsNullable = false, Identity = IdentityKind.ByDefault }])
        {
            PrimaryKeyColumns = ["id"],
        };
}
