using System.Text;

namespace SafeMigrations.Design;

/// <summary>
/// C# source with comments and string/char literals blanked out (newlines kept), so text searches for
/// calls and declarations neither match inside a string nor lose their line and column.
/// </summary>
internal sealed class CSharpText
{
    private readonly int[] lineStarts;

    public CSharpText(string text)
    {
        Original = text;
        Code = Mask(text);
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        lineStarts = [.. starts];
    }

    public string Original { get; }

    /// <summary>The text with comments and literals replaced by spaces.</summary>
    public string Code { get; }

    /// <summary>1-based line and column of an offset.</summary>
    public (int Line, int Column) Position(int offset)
    {
        var index = Array.BinarySearch(lineStarts, offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, offset - lineStarts[line] + 1);
    }

    /// <summary>The offset just past the brace that closes the one at <paramref name="open"/>; -1 if unbalanced.</summary>
    public int MatchingBrace(int open)
    {
        var depth = 0;
        for (var i = open; i < Code.Length; i++)
        {
            if (Code[i] == '{')
            {
                depth++;
            }
            else if (Code[i] == '}' && --depth == 0)
            {
                return i + 1;
            }
        }

        return -1;
    }

    private static string Mask(string text)
    {
        var code = new StringBuilder(text);
        var i = 0;
        void Blank(int from, int to)
        {
            for (var k = from; k < to && k < code.Length; k++)
            {
                if (code[k] != '\n' && code[k] != '\r')
                {
                    code[k] = ' ';
                }
            }
        }

        while (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                var end = text.IndexOf('\n', i);
                end = end < 0 ? text.Length : end;
                Blank(i, end);
                i = end;
            }
            else if (c == '/' && next == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end + 2;
                Blank(i, end);
                i = end;
            }
            else if (c == '"' || ((c == '@' || c == '$') && (next == '"' || ((next == '@' || next == '$') && i + 2 < text.Length && text[i + 2] == '"'))))
            {
                var start = i;
                var verbatim = false;
                while (text[i] != '"')
                {
                    verbatim |= text[i] == '@';
                    i++;
                }

                var quotes = 0;
                while (i + quotes < text.Length && text[i + quotes] == '"')
                {
                    quotes++;
                }

                int end;
                if (quotes >= 3)
                {
                    // Raw string literal: ends at the same number of quotes.
                    var closing = new string('"', quotes);
                    end = text.IndexOf(closing, i + quotes, StringComparison.Ordinal);
                    end = end < 0 ? text.Length : end + quotes;
                }
                else if (quotes == 2 && !verbatim)
                {
                    end = i + 2; // ""
                }
                else
                {
                    end = i + 1;
                    while (end < text.Length)
                    {
                        if (!verbatim && text[end] == '\\')
                        {
                            end += 2;
                            continue;
                        }

                        if (text[end] == '"')
                        {
                            if (verbatim && end + 1 < text.Length && text[end + 1] == '"')
                            {
                                end += 2;
                                continue;
                            }

                            end++;
                            break;
                        }

                        if (!verbatim && text[end] == '\n')
                        {
                            break;
                        }

                        end++;
                    }
                }

                Blank(start, end);
                i = end;
            }
            else if (c == '\'')
            {
                var end = i + 1;
                while (end < text.Length && text[end] != '\'' && text[end] != '\n')
                {
                    end += text[end] == '\\' ? 2 : 1;
                }

                Blank(i, Math.Min(end + 1, text.Length));
                i = end + 1;
            }
            else
            {
                i++;
            }
        }

        return code.ToString();
    }
}
