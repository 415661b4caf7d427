using System.Collections.Generic;
using System.Linq;
using System.Text;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Sql;

/// <summary>A cursor over one statement's tokens with the small parsing steps the classifier needs.</summary>
internal sealed class SqlTokenReader
{
    private readonly IReadOnlyList<SqlToken> tokens;
    private readonly string text;
    private readonly int textOffset;

    public SqlTokenReader(SqlStatement statement)
    {
        tokens = statement.Tokens;
        text = statement.Text;
        textOffset = tokens.Count > 0 ? tokens[0].Start : 0;
    }

    public int Position { get; set; }

    /// <summary>The whole statement as written.</summary>
    public string StatementText => text;

    public bool AtEnd => Position >= tokens.Count;

    public SqlToken? Peek(int ahead = 0) => Position + ahead < tokens.Count ? tokens[Position + ahead] : null;

    public bool IsWord(string word, int ahead = 0) => Peek(ahead) is { } token && token.IsWord(word);

    public bool IsPunctuation(char symbol, int ahead = 0) => Peek(ahead) is { } token && token.IsPunctuation(symbol);

    /// <summary>Consumes the words if they all follow, in order.</summary>
    public bool Accept(params string[] words)
    {
        for (var i = 0; i < words.Length; i++)
        {
            if (!IsWord(words[i], i))
            {
                return false;
            }
        }

        Position += words.Length;
        return true;
    }

    public bool AcceptPunctuation(char symbol)
    {
        if (!IsPunctuation(symbol))
        {
            return false;
        }

        Position++;
        return true;
    }

    /// <summary>An identifier (folded to lower case unless quoted), or null.</summary>
    public string? ReadIdentifier()
    {
        if (Peek() is { IsIdentifier: true } token)
        {
            Position++;
            return token.Value;
        }

        return null;
    }

    /// <summary>[database.]schema.name or name.</summary>
    public TableName? ReadQualifiedName()
    {
        var parts = new List<string>();
        var first = ReadIdentifier();
        if (first is null)
        {
            return null;
        }

        parts.Add(first);
        while (IsPunctuation('.') && Peek(1) is { IsIdentifier: true })
        {
            Position++;
            parts.Add(ReadIdentifier()!);
        }

        return parts.Count == 1 ? new TableName(parts[0]) : new TableName(parts[parts.Count - 1], parts[parts.Count - 2]);
    }

    /// <summary>Reads a parenthesised group and returns its inner tokens; the cursor ends after ')'.</summary>
    public IReadOnlyList<SqlToken> ReadParenthesized()
    {
        var inner = new List<SqlToken>();
        if (!AcceptPunctuation('('))
        {
            return inner;
        }

        var depth = 1;
        while (!AtEnd)
        {
            var token = tokens[Position++];
            if (token.IsPunctuation('('))
            {
                depth++;
            }
            else if (token.IsPunctuation(')') && --depth == 0)
            {
                break;
            }

            inner.Add(token);
        }

        return inner;
    }

    /// <summary>Tokens up to (not including) a top-level comma or the end.</summary>
    public IReadOnlyList<SqlToken> ReadUntilTopLevelComma()
    {
        var part = new List<SqlToken>();
        var depth = 0;
        while (!AtEnd)
        {
            var token = tokens[Position];
            if (depth == 0 && token.IsPunctuation(','))
            {
                break;
            }

            if (token.IsPunctuation('('))
            {
                depth++;
            }
            else if (token.IsPunctuation(')'))
            {
                depth--;
            }

            part.Add(token);
            Position++;
        }

        return part;
    }

    public bool ContainsWord(string word) => tokens.Skip(Position).Any(t => t.IsWord(word));

    /// <summary>The original text of a token range.</summary>
    public string TextOf(IReadOnlyList<SqlToken> range)
    {
        if (range.Count == 0)
        {
            return string.Empty;
        }

        var start = range[0].Start - textOffset;
        var end = range[range.Count - 1].End - textOffset;
        return start >= 0 && end <= text.Length && end >= start ? text.Substring(start, end - start) : Join(range);
    }

    /// <summary>Identifiers of a parenthesised column list: (a, "B", c).</summary>
    public static IReadOnlyList<string> IdentifierList(IReadOnlyList<SqlToken> inner)
    {
        var names = new List<string>();
        var depth = 0;
        var expectName = true;
        foreach (var token in inner)
        {
            if (token.IsPunctuation('('))
            {
                depth++;
            }
            else if (token.IsPunctuation(')'))
            {
                depth--;
            }
            else if (depth == 0 && token.IsPunctuation(','))
            {
                expectName = true;
            }
            else if (depth == 0 && expectName && token.IsIdentifier)
            {
                names.Add(token.Value);
                expectName = false;
            }
        }

        return names;
    }

    private static string Join(IEnumerable<SqlToken> range)
    {
        var builder = new StringBuilder();
        foreach (var token in range)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(token.Value);
        }

        return builder.ToString();
    }
}
