using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Sql;

namespace SafeMigrations.Core.Tests.Analysis;

/// <summary>Whatever text reaches the SQL path (half-typed, binary, hostile), analysis answers and never throws.</summary>
[TestClass]
public sealed class RobustnessTests
{
    private const string Corpus = """"
        CREATE TABLE "Weird ""name""" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body jsonb DEFAULT '{}'::jsonb);
        ALTER TABLE ONLY public.todo_items ADD COLUMN IF NOT EXISTS "Rank" integer NOT NULL DEFAULT 0 CHECK ("Rank" >= 0), ALTER COLUMN title TYPE varchar(10) USING left(title, 10);
        CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 ELSE 2 END; SELECT 2; END;
        DO $body$ BEGIN RAISE NOTICE 'a;b'; END $body$;
        /* nested /* comment ; */ still */ UPDATE users SET full_name = E'it\'s; fine' WHERE id = $1;
        WITH moved AS (DELETE FROM todo_items WHERE completed RETURNING *) INSERT INTO archive SELECT * FROM moved;
        """";

    [TestMethod]
    public void Every_prefix_of_tricky_sql_is_analyzed_without_an_exception()
    {
        var analyzer = new MigrationAnalyzer();
        for (var length = 0; length <= Corpus.Length; length++)
        {
            var sql = Corpus.Substring(0, length);
            var migration = new MigrationDefinition("20260101000000_Prefix", [new RawSqlChange(sql)]);
            _ = analyzer.Analyze(migration);
        }
    }

    [TestMethod]
    public void Random_garbage_is_classified_without_an_exception()
    {
        var random = new Random(20261123);
        const string alphabet = "abcdefghijklmnopqrstuvwxyz ALTER TABLE CREATE INDEX ();,.'\"$$--/**/\n\t0123456789*=:[]EeU&\\";
        for (var round = 0; round < 2000; round++)
        {
            var chars = new char[random.Next(0, 120)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            var operations = SqlStatementClassifier.Classify(new string(chars));
            Assert.IsNotNull(operations);
        }
    }

    [TestMethod]
    public void Empty_and_null_input_give_no_operations()
    {
        Assert.IsEmpty(SqlStatementClassifier.Classify(null));
        Assert.IsEmpty(SqlStatementClassifier.Classify(""));
        Assert.IsEmpty(SqlStatementClassifier.Classify("  -- only a comment\n /* and another */ ;;"));
        Assert.IsEmpty(new MigrationAnalyzer().Analyze(new MigrationDefinition("20260101000000_Empty", [])));
    }
}
