using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Sql;

/// <summary>Parses "name type [constraints…]" from CREATE TABLE and ALTER TABLE … ADD COLUMN.</summary>
internal static class ColumnDefinitionParser
{
    private static readonly HashSet<string> ConstraintWords = new()
    {
        "not", "null", "default", "generated", "primary", "unique", "references", "check", "constraint", "collate", "deferrable", "initially",
    };

    /// <summary>The column plus what its inline constraints add (primary key, unique, foreign key, check).</summary>
    internal sealed record ParsedColumn(ColumnDefinition Column, bool IsPrimaryKey, bool IsUnique, TableName? References, string? CheckSql);

    public static ParsedColumn? Parse(IReadOnlyList<SqlToken> tokens, SqlTokenReader textSource)
    {
        if (tokens.Count == 0 || !tokens[0].IsIdentifier)
        {
            return null;
        }

        var name = tokens[0].Value;
        var index = 1;
        var typeTokens = new List<SqlToken>();
        var depth = 0;
        for (; index < tokens.Count; index++)
        {
            var token = tokens[index];
            if (depth == 0 && token.Kind == SqlTokenKind.Word && ConstraintWords.Contains(token.Value))
            {
                break;
            }

            depth += token.IsPunctuation('(') ? 1 : token.IsPunctuation(')') ? -1 : 0;
            typeTokens.Add(token);
        }

        var column = new ColumnDefinition(name) { StoreType = typeTokens.Count > 0 ? textSource.TextOf(typeTokens) : null };
        bool isPrimaryKey = false, isUnique = false;
        TableName? references = null;
        string? check = null;
        while (index < tokens.Count)
        {
            var token = tokens[index];
            if (token.IsWord("not") && index + 1 < tokens.Count && tokens[index + 1].IsWord("null"))
            {
                column = column with { IsNullable = false };
                index += 2;
            }
            else if (token.IsWord("null"))
            {
                column = column with { IsNullable = true };
                index++;
            }
            else if (token.IsWord("default"))
            {
                var expression = TakeExpression(tokens, ref index);
                column = column with { DefaultValueSql = textSource.TextOf(expression) };
            }
            else if (token.IsWord("generated"))
            {
                var clause = TakeExpression(tokens, ref index);
                if (clause.Any(t => t.IsWord("identity")))
                {
                    column = column with { Identity = clause.Any(t => t.IsWord("always")) ? IdentityKind.Always : IdentityKind.ByDefault };
                }
                else
                {
                    var expressionTokens = clause.SkipWhile(t => !t.IsPunctuation('(')).ToList();
                    column = column with
                    {
                        ComputedColumnSql = textSource.TextOf(expressionTokens),
                        IsComputedStored = clause.Any(t => t.IsWord("stored")) ? true : clause.Any(t => t.IsWord("virtual")) ? false : null,
                    };
                }
            }
            else if (token.IsWord("primary"))
            {
                isPrimaryKey = true;
                column = column with { IsNullable = false };
                index += 2;
            }
            else if (token.IsWord("unique"))
            {
                isUnique = true;
                index++;
            }
            else if (token.IsWord("references"))
            {
                index++;
                var target = new List<SqlToken>();
                while (index < tokens.Count && (tokens[index].IsIdentifier || tokens[index].IsPunctuation('.')) && !ConstraintWords.Contains(tokens[index].Value))
                {
                    target.Add(tokens[index++]);
                }

                var identifiers = target.Where(t => t.IsIdentifier).Select(t => t.Value).ToList();
                references = identifiers.Count switch
                {
                    0 => null,
                    1 => new TableName(identifiers[0]),
                    _ => new TableName(identifiers[identifiers.Count - 1], identifiers[identifiers.Count - 2]),
                };
                SkipToNextConstraint(tokens, ref index);
            }
            else if (token.IsWord("check"))
            {
                index++;
                var inner = TakeParenthesized(tokens, ref index);
                check = textSource.TextOf(inner);
            }
            else
            {
                index++; // CONSTRAINT name, COLLATE x, DEFERRABLE …
            }
        }

        return new ParsedColumn(column, isPrimaryKey, isUnique, references, check);
    }

    // DEFAULT expr / GENERATED … : everything up to the next top-level constraint keyword.
    private static List<SqlToken> TakeExpression(IReadOnlyList<SqlToken> tokens, ref int index)
    {
        var start = tokens[index].IsWord("default") ? index + 1 : index;
        var taken = new List<SqlToken>();
        var depth = 0;
        index = start;
        for (; index < tokens.Count; index++)
        {
            var token = tokens[index];
            if (depth == 0 && index > start && token.Kind == SqlTokenKind.Word && ConstraintWords.Contains(token.Value)
                && !(token.IsWord("null") && tokens[index - 1].IsWord("is"))
                && !(token.IsWord("default") && tokens[index - 1].IsWord("by")))
            {
                break;
            }

            depth += token.IsPunctuation('(') ? 1 : token.IsPunctuation(')') ? -1 : 0;
            taken.Add(token);
        }

        return taken;
    }

    private static List<SqlToken> TakeParenthesized(IReadOnlyList<SqlToken> tokens, ref int index)
    {
        var inner = new List<SqlToken>();
        if (index >= tokens.Count || !tokens[index].IsPunctuation('('))
        {
            return inner;
        }

        var depth = 0;
        for (; index < tokens.Count; index++)
        {
            var token = tokens[index];
            if (token.IsPunctuation('('))
            {
                if (depth++ == 0)
                {
                    continue;
                }
            }
            else if (token.IsPunctuation(')') && --depth == 0)
            {
                index++;
                break;
            }

            inner.Add(token);
        }

        return inner;
    }

    private static void SkipToNextConstraint(IReadOnlyList<SqlToken> tokens, ref int index)
    {
        var depth = 0;
        for (; index < tokens.Count; index++)
        {
            var token = tokens[index];
            depth += token.IsPunctuation('(') ? 1 : token.IsPunctuation(')') ? -1 : 0;
            var isSetNull = token.IsWord("null") && index > 0 && tokens[index - 1].IsWord("set");
            if (depth == 0 && token.Kind == SqlTokenKind.Word && ConstraintWords.Contains(token.Value) && !token.IsWord("deferrable") && !token.IsWord("initially") && !isSetNull)
            {
                return;
            }
        }
    }
}
