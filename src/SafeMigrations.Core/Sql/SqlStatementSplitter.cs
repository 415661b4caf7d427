using System.Collections.Generic;

namespace SafeMigrations.Core.Sql;

/// <summary>
/// Splits SQL into statements at top-level semicolons. Semicolons inside strings, quoted identifiers,
/// dollar quotes, comments and SQL-standard function bodies (BEGIN ATOMIC … END) do not split.
/// </summary>
internal static class SqlStatementSplitter
{
    public static IReadOnlyList<SqlStatement> Split(string? sql)
    {
        var statements = new List<SqlStatement>();
        var tokens = SqlTokenizer.Tokenize(sql);
        var current = new List<SqlToken>();
        var atomicDepth = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.IsPunctuation(';') && atomicDepth == 0)
            {
                Flush(sql!, current, statements);
                continue;
            }

            current.Add(token);
            if (IsRoutineDefinition(current))
            {
                if (token.IsWord("atomic") && current.Count >= 2 && current[current.Count - 2].IsWord("begin"))
                {
                    atomicDepth++;
                }
                else if (atomicDepth > 0 && token.IsWord("case"))
                {
                    atomicDepth++;
                }
                else if (atomicDepth > 0 && token.IsWord("end"))
                {
                    atomicDepth--;
                }
            }
        }

        Flush(sql ?? string.Empty, current, statements);
        return statements;
    }

    private static bool IsRoutineDefinition(List<SqlToken> tokens)
    {
        if (tokens.Count < 2 || !tokens[0].IsWord("create"))
        {
            return false;
        }

        var next = tokens[1].IsWord("or") && tokens.Count > 3 ? tokens[3] : tokens[1];
        return next.IsWord("function") || next.IsWord("procedure");
    }

    private static void Flush(string sql, List<SqlToken> current, List<SqlStatement> statements)
    {
        if (current.Count == 0)
        {
            return;
        }

        var start = current[0].Start;
        var end = current[current.Count - 1].End;
        statements.Add(new SqlStatement(sql.Substring(start, end - start), current.ToArray(), statements.Count, current[0].Line));
        current.Clear();
    }
}
