using SafeMigrations.Core.Sql;

namespace SafeMigrations.Core.Tests.Sql;

[TestClass]
public sealed class SqlStatementSplitterTests
{
    private static IReadOnlyList<string> Split(string sql) => SqlStatementSplitter.Split(sql).Select(s => s.Text).ToList();

    [TestMethod]
    public void Splits_at_top_level_semicolons_only()
    {
        CollectionAssert.AreEqual(
            new[] { "UPDATE t SET a = 'x;y'", "SELECT \"we;ird\" FROM t", "SELECT 1" },
            Split("UPDATE t SET a = 'x;y'; SELECT \"we;ird\" FROM t;\n SELECT 1").ToList());
    }

    [TestMethod]
    public void Dollar_quotes_nested_with_different_tags_do_not_split()
    {
        const string function = "CREATE FUNCTION f() RETURNS void AS $fn$ BEGIN EXECUTE $q$ UPDATE t SET a = 1; $q$; END $fn$ LANGUAGE plpgsql";
        CollectionAssert.AreEqual(new[] { function, "SELECT 2" }, Split(function + "; SELECT 2;").ToList());
    }

    [TestMethod]
    public void Comments_are_kept_in_text_but_do_not_split_and_empty_statements_vanish()
    {
        var statements = SqlStatementSplitter.Split("-- a; b\nSELECT 1; /* c; /* nested; */ d; */ ;; SELECT 2");
        Assert.HasCount(2, statements);
        Assert.AreEqual("SELECT 1", statements[0].Text);
        Assert.AreEqual("SELECT 2", statements[1].Text);
        Assert.AreEqual(1, statements[0].StartLine);
    }

    [TestMethod]
    public void Escaped_quotes_and_E_strings_are_respected()
    {
        Assert.HasCount(2, Split("SELECT 'it''s; here'; SELECT E'it\\'s; here'"));
    }

    [TestMethod]
    public void Sql_standard_function_bodies_keep_their_semicolons()
    {
        var statements = Split("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END; SELECT 3");
        Assert.HasCount(2, statements);
        StringAssert.EndsWith(statements[0], "SELECT 2; END");
    }

    [TestMethod]
    public void Unterminated_strings_run_to_the_end_without_throwing()
    {
        Assert.HasCount(1, Split("SELECT 'never closed; DROP TABLE t;"));
        Assert.HasCount(1, Split("SELECT $tag$ never closed; DROP TABLE t;"));
    }
}
