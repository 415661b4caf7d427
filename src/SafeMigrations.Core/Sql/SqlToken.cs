namespace SafeMigrations.Core.Sql;

internal enum SqlTokenKind
{
    /// <summary>Keyword or unquoted identifier; <see cref="SqlToken.Value"/> is lower-cased as PostgreSQL folds it.</summary>
    Word,

    /// <summary>"Quoted identifier"; <see cref="SqlToken.Value"/> is the exact name.</summary>
    QuotedIdentifier,

    /// <summary>'string', E'string' or $tag$string$tag$; <see cref="SqlToken.Value"/> is the content.</summary>
    StringLiteral,

    Number,

    /// <summary>( ) , ; . [ ]</summary>
    Punctuation,

    /// <summary>Operators and other symbols (::, =, +, …) and $1 parameters.</summary>
    Operator,
}

/// <summary>One lexical token; <see cref="Start"/>/<see cref="End"/> index the original text.</summary>
internal readonly struct SqlToken
{
    public SqlToken(SqlTokenKind kind, string value, int start, int end, int line)
    {
        Kind = kind;
        Value = value;
        Start = start;
        End = end;
        Line = line;
    }

    public SqlTokenKind Kind { get; }

    public string Value { get; }

    public int Start { get; }

    public int End { get; }

    /// <summary>0-based line of the token's start within the SQL text.</summary>
    public int Line { get; }

    public bool IsWord(string lowerCaseWord) => Kind == SqlTokenKind.Word && Value == lowerCaseWord;

    public bool IsPunctuation(char symbol) => Kind == SqlTokenKind.Punctuation && Value.Length == 1 && Value[0] == symbol;

    public bool IsIdentifier => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;

    public override string ToString() => Kind + ":" + Value;
}
