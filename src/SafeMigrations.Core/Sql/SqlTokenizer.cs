using System.Collections.Generic;
using System.Text;

namespace SafeMigrations.Core.Sql;

/// <summary>
/// A PostgreSQL lexer sufficient for splitting and classifying migration SQL: single-quoted and
/// E'' strings, "quoted identifiers", $tag$ dollar quotes, -- and nested /* */ comments. It never
/// throws: an unterminated string or comment runs to the end of the text.
/// </summary>
internal static class SqlTokenizer
{
    public static IReadOnlyList<SqlToken> Tokenize(string? sql)
    {
        var tokens = new List<SqlToken>();
        if (string.IsNullOrEmpty(sql))
        {
            return tokens;
        }

        var text = sql!;
        var position = 0;
        var line = 0;
        while (position < text.Length)
        {
            var c = text[position];
            var start = position;
            var startLine = line;
            if (c == '\n')
            {
                line++;
                position++;
            }
            else if (char.IsWhiteSpace(c))
            {
                position++;
            }
            else if (c == '-' && Next(text, position) == '-')
            {
                while (position < text.Length && text[position] != '\n')
                {
                    position++;
                }
            }
            else if (c == '/' && Next(text, position) == '*')
            {
                position = SkipBlockComment(text, position, ref line);
            }
            else if (c == '\'' || ((c == 'e' || c == 'E') && Next(text, position) == '\''))
            {
                var escapes = c != '\'';
                position = ReadQuoted(text, escapes ? position + 1 : position, '\'', escapes, ref line, out var value);
                tokens.Add(new SqlToken(SqlTokenKind.StringLiteral, value, start, position, startLine));
            }
            else if (c == '"')
            {
                position = ReadQuoted(text, position, '"', false, ref line, out var value);
                tokens.Add(new SqlToken(SqlTokenKind.QuotedIdentifier, value, start, position, startLine));
            }
            else if (c == '$' && TryReadDollarQuote(text, position, ref line, out var end, out var body))
            {
                position = end;
                tokens.Add(new SqlToken(SqlTokenKind.StringLiteral, body, start, position, startLine));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_' || text[position] == '$'))
                {
                    position++;
                }

                tokens.Add(new SqlToken(SqlTokenKind.Word, text.Substring(start, position - start).ToLowerInvariant(), start, position, startLine));
            }
            else if (char.IsDigit(c) || (c == '.' && position + 1 < text.Length && char.IsDigit(text[position + 1])))
            {
                while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '.' || text[position] == '_'))
                {
                    position++;
                }

                tokens.Add(new SqlToken(SqlTokenKind.Number, text.Substring(start, position - start), start, position, startLine));
            }
            else if ("(),;.[]".IndexOf(c) >= 0)
            {
                position++;
                tokens.Add(new SqlToken(SqlTokenKind.Punctuation, c.ToString(), start, position, startLine));
            }
            else if (c == '$')
            {
                position++;
                while (position < text.Length && char.IsDigit(text[position]))
                {
                    position++;
                }

                tokens.Add(new SqlToken(SqlTokenKind.Operator, text.Substring(start, position - start), start, position, startLine));
            }
            else
            {
                position++;
                while (position < text.Length && "+-*/<>=~!@#%^&|`?:".IndexOf(text[position]) >= 0
                       && !(text[position] == '-' && Next(text, position) == '-')
                       && !(text[position] == '/' && Next(text, position) == '*'))
                {
                    position++;
                }

                tokens.Add(new SqlToken(SqlTokenKind.Operator, text.Substring(start, position - start), start, position, startLine));
            }
        }

        return tokens;
    }

    private static char Next(string text, int position) => position + 1 < text.Length ? text[position + 1] : '\0';

    private static int SkipBlockComment(string text, int position, ref int line)
    {
        // PostgreSQL block comments nest.
        var depth = 0;
        while (position < text.Length)
        {
            if (text[position] == '/' && Next(text, position) == '*')
            {
                depth++;
                position += 2;
            }
            else if (text[position] == '*' && Next(text, position) == '/')
            {
                depth--;
                position += 2;
                if (depth == 0)
                {
                    return position;
                }
            }
            else
            {
                if (text[position] == '\n')
                {
                    line++;
                }

                position++;
            }
        }

        return position;
    }

    private static int ReadQuoted(string text, int position, char quote, bool backslashEscapes, ref int line, out string value)
    {
        var builder = new StringBuilder();
        position++; // opening quote
        while (position < text.Length)
        {
            var c = text[position];
            if (backslashEscapes && c == '\\' && position + 1 < text.Length)
            {
                builder.Append(text[position + 1]);
                position += 2;
                continue;
            }

            if (c == quote)
            {
                if (Next(text, position) == quote)
                {
                    builder.Append(quote);
                    position += 2;
                    continue;
                }

                position++;
                value = builder.ToString();
                return position;
            }

            if (c == '\n')
            {
                line++;
            }

            builder.Append(c);
            position++;
        }

        value = builder.ToString();
        return position;
    }

    private static bool TryReadDollarQuote(string text, int position, ref int line, out int end, out string body)
    {
        // $tag$ … $tag$ where tag is empty or an identifier not starting with a digit.
        end = position;
        body = string.Empty;
        var tagEnd = position + 1;
        if (tagEnd < text.Length && char.IsDigit(text[tagEnd]))
        {
            return false;
        }

        while (tagEnd < text.Length && (char.IsLetterOrDigit(text[tagEnd]) || text[tagEnd] == '_'))
        {
            tagEnd++;
        }

        if (tagEnd >= text.Length || text[tagEnd] != '$')
        {
            return false;
        }

        var tag = text.Substring(position, tagEnd - position + 1);
        var bodyStart = tagEnd + 1;
        var close = text.IndexOf(tag, bodyStart, System.StringComparison.Ordinal);
        var bodyEnd = close < 0 ? text.Length : close;
        body = text.Substring(bodyStart, bodyEnd - bodyStart);
        for (var i = bodyStart; i < bodyEnd; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        end = close < 0 ? text.Length : close + tag.Length;
        return true;
    }
}
