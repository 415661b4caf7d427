using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SafeMigrations.Design.Tests;

/// <summary>
/// The host finds MigrationBuilder calls by searching C# as text (it has no compiler): comments and literals must be
/// blanked without moving a line or a column. Roslyn's own reading of the same source is the oracle.
/// </summary>
[TestClass]
public sealed class CSharpTextTests
{
    private const string Tricky = """"
        // migrationBuilder.DropColumn(name: "x"); in a line comment
        /* a block comment with a brace { and migrationBuilder.DropTable("t");
           over two lines */
        public partial class AddPriority : Migration
        {
            protected override void Up(MigrationBuilder migrationBuilder)
            {
                var plain = "migrationBuilder.DropTable(\"a\") { \\";
                var verbatim = @"C:\path\ ""quoted"" migrationBuilder.Sql(""x"")
        second line {";
                var interpolated = $"{plain} migrationBuilder.DropIndex({1 + 1}) }}";
                var raw = """
                    migrationBuilder.DropColumn("raw"); {
                    """;
                var quote = '"';
                var apostrophe = '\'';
                var brace = '{';
                migrationBuilder.AddColumn<int>(name: "priority", table: "todos", nullable: false, defaultValue: 0);
            }
        }
        """";

    [TestMethod]
    public void Comments_and_literals_are_blanked_and_everything_else_stays_where_it_was()
    {
        var text = new CSharpText(Tricky);
        var root = CSharpSyntaxTree.ParseText(Tricky).GetRoot();

        Assert.AreEqual(Tricky.Length, text.Code.Length);
        Assert.AreEqual(Tricky.Count(c => c == '\n'), text.Code.Count(c => c == '\n'), "no line is lost or added");
        foreach (var token in root.DescendantTokens())
        {
            var inLiteral = token.IsKind(SyntaxKind.StringLiteralToken) || token.IsKind(SyntaxKind.CharacterLiteralToken)
                || token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken) || token.Parent?.FirstAncestorOrSelf<InterpolatedStringExpressionSyntax>() is not null;
            var masked = text.Code.Substring(token.SpanStart, token.Span.Length);
            if (inLiteral)
            {
                Assert.IsTrue(string.IsNullOrWhiteSpace(masked), $"literal {token} is blanked, got '{masked}'");
            }
            else
            {
                Assert.AreEqual(token.Text, masked, $"code token at {token.SpanStart} is unchanged");
            }
        }

        foreach (var comment in root.DescendantTrivia().Where(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia)))
        {
            Assert.IsTrue(string.IsNullOrWhiteSpace(text.Code.Substring(comment.SpanStart, comment.Span.Length)), $"comment {comment} is blanked");
        }

        Assert.AreEqual(1, CountOf(text.Code, "migrationBuilder."), "only the real call remains");
    }

    [TestMethod]
    public void Braces_in_literals_and_comments_do_not_count_when_matching()
    {
        var text = new CSharpText(Tricky);
        var open = text.Code.IndexOf('{', text.Code.IndexOf("void Up", StringComparison.Ordinal));

        var end = text.MatchingBrace(open);

        Assert.AreEqual(Tricky.LastIndexOf('}', Tricky.LastIndexOf('}') - 1) + 1, end, "Up's body ends at its own closing brace");
        Assert.AreEqual(-1, new CSharpText("class A { void M() { ").MatchingBrace("class A ".Length), "unbalanced");
    }

    [TestMethod]
    public void Positions_are_one_based_lines_and_columns_with_either_line_ending()
    {
        var unix = new CSharpText("a\nbc\n\nd");
        Assert.AreEqual((1, 1), unix.Position(0));
        Assert.AreEqual((2, 2), unix.Position(3));
        Assert.AreEqual((4, 1), unix.Position(6));

        var windows = new CSharpText("a\r\nbc\r\nd");
        Assert.AreEqual((2, 1), windows.Position(3));
        Assert.AreEqual((3, 1), windows.Position(7));
    }

    [TestMethod]
    public void An_unterminated_literal_or_comment_at_the_end_is_blanked_to_the_end_of_its_line_or_the_file()
    {
        Assert.AreEqual("x = " + new string(' ', 8) + "\ny;", new CSharpText("x = \"abc def\ny;").Code);
        Assert.AreEqual("x " + new string(' ', 9), new CSharpText("x /* open {").Code);
        Assert.AreEqual("x " + new string(' ', 8), new CSharpText("x \"\"\"\n raw").Code.Replace('\n', ' '));
    }

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;
}
