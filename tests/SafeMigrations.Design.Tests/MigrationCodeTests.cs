using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace SafeMigrations.Design.Tests;

/// <summary>What the generator adds to EF's migration code: suppressTransaction on the Sql calls that need it, attributes above the class.</summary>
[TestClass]
public sealed class MigrationCodeTests
{
    [TestMethod]
    public void Only_the_sql_calls_of_transaction_suppressed_operations_get_the_argument_whatever_their_literal()
    {
        const string code = """
            protected override void Up(MigrationBuilder migrationBuilder)
            {
                migrationBuilder.Sql("ALTER TABLE \"t\" VALIDATE CONSTRAINT \"c\";");
                migrationBuilder.Sql(@"CREATE INDEX CONCURRENTLY ""ix"" ON ""t"" (a);
            -- a second line, with a "" quote");
            }

            protected override void Down(MigrationBuilder migrationBuilder)
            {
                migrationBuilder.Sql("DROP INDEX CONCURRENTLY IF EXISTS \"ix\";");
            }
            """;

        var written = MigrationCode.WithSuppressedTransactions(code,
        [
            new SqlOperation { Sql = "validate" },
            new SqlOperation { Sql = "create", SuppressTransaction = true },
            new SqlOperation { Sql = "drop", SuppressTransaction = true },
        ]);

        var calls = CSharpSyntaxTree.ParseText("class C { " + written + " }").GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().ToList();
        CollectionAssert.AreEqual(new[] { 1, 2, 2 }, calls.Select(c => c.ArgumentList.Arguments.Count).ToList());
        Assert.IsTrue(calls.Skip(1).All(c => c.ArgumentList.Arguments[1].ToString() == "suppressTransaction: true"));
        Assert.IsFalse(CSharpSyntaxTree.ParseText("class C { " + written + " }").GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error));
    }

    [TestMethod]
    public void Attributes_go_above_the_class()
    {
        var written = MigrationCode.WithAttributes("namespace N\n{\n    public partial class AddX : Migration\n    {\n    }\n}\n", "AddX", ["[SafeMigrations.ContractMigration(Justification = \"why\")]"]);
        StringAssert.Contains(written, "    [SafeMigrations.ContractMigration(Justification = \"why\")]" + Environment.NewLine + "    public partial class AddX : Migration");
    }

    [TestMethod]
    public void A_backfill_is_written_as_the_runtime_call_or_as_the_statement_it_makes()
    {
        var spec = Core.Gate.SafeFormPlanner.FillNulls(new Core.Model.TableName("products", "shop"), "Code", "'c-' || \"Id\"");
        const string code = "        protected override void Up(MigrationBuilder migrationBuilder)\n        {\n            migrationBuilder.Sql(\"P0\", suppressTransaction: true);\n        }\n";
        var backfills = new Dictionary<string, Core.Runner.BackfillSpec> { ["P0"] = spec };

        var call = MigrationCode.WithBackfills(code, backfills, canCallBackfill: true);
        var invocation = CSharpSyntaxTree.ParseText("class C { void M() { " + call[call.IndexOf("migrationBuilder", StringComparison.Ordinal)..call.IndexOf(';')] + "; } }")
            .GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().Single();
        var arguments = invocation.ArgumentList.Arguments.ToDictionary(a => a.NameColon!.Name.Identifier.Text, a => a.Expression is LiteralExpressionSyntax literal ? literal.Token.ValueText : a.Expression.ToString());
        Assert.AreEqual(("products", "null", "\"Code\" = 'c-' || \"Id\"", "\"Code\" IS NULL", "1000", "shop"),
            (arguments["table"], arguments["keyColumn"], arguments["set"], arguments["where"], arguments["batchSize"], arguments["schema"]));

        var statement = MigrationCode.WithBackfills(code, backfills, canCallBackfill: false);
        var literal = CSharpSyntaxTree.ParseText("class C { void M() { " + statement[statement.IndexOf("migrationBuilder", StringComparison.Ordinal)..(statement.LastIndexOf(')') + 1)] + "; } }")
            .GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().Single().ArgumentList.Arguments[0].Expression;
        Assert.AreEqual(Core.Runner.BackfillSql.Statement(spec), ((LiteralExpressionSyntax)literal).Token.ValueText);
    }
}
