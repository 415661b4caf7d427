using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SafeMigrations.Core.Gate;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.RuleExamples.Tests;

/// <summary>
/// One recipe, one implementation: the statements a rule page's executed recipe runs are the ones Core's planner
/// writes for `safemig migrations add` (and the templates ship, checked in Core's tests), not a second spelling.
/// </summary>
[TestClass]
public sealed class RecipeSourceTests
{
    [TestMethod]
    public void The_not_null_page_runs_the_planners_statements()
    {
        var recipe = SafeFormPlanner.SetNotNull(0, new TableName("todo_items"), "description");
        CollectionAssert.IsSubsetOf(new[] { recipe.Sql, recipe.ValidateSql, recipe.FinishSql }, SqlOf("SM1007"));
    }

    [TestMethod]
    public void The_check_constraint_page_runs_the_planners_statements()
    {
        var table = new TableName("todo_items");
        var recipe = SafeFormPlanner.Plan([new AddCheckConstraintChange("CK_todo_items_priority", table, "priority >= 0")]).Single();
        CollectionAssert.AreEqual(new[] { recipe.Sql, recipe.ValidateSql }, SqlOf("SM1014"));
    }

    /// <summary>The string arguments of the migrationBuilder.Sql calls in a page's recipe steps.</summary>
    private static List<string> SqlOf(string ruleId) =>
        RulePage.Load(ruleId).Recipe
            .SelectMany(step => CSharpSyntaxTree.ParseText(step.Code, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
            .Where(call => call.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "Sql" })
            .Select(call => call.ArgumentList.Arguments[0].Expression)
            .OfType<LiteralExpressionSyntax>()
            .Select(literal => literal.Token.ValueText.Trim())
            .ToList();
}
