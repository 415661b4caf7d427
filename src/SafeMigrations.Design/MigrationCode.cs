using System.Text;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Design;

/// <summary>
/// A migration's C# as EF's code generator writes it, with what that generator leaves out: EF writes every
/// migrationBuilder.Sql(…) without suppressTransaction, which CONCURRENTLY needs; and the attributes a step needs.
/// </summary>
internal static class MigrationCode
{
    private const string SqlCall = "migrationBuilder.Sql(";

    public static string Generate(IMigrationsCodeGenerator generator, string? migrationNamespace, string className, IReadOnlyList<MigrationOperation> up, IReadOnlyList<MigrationOperation> down)
    {
        var code = generator.GenerateMigration(migrationNamespace, className, up, down);
        var sqlOperations = up.Concat(down).OfType<SqlOperation>().ToList();
        return sqlOperations.Any(o => o.SuppressTransaction) ? WithSuppressedTransactions(code, sqlOperations) : code;
    }

    /// <summary>The attribute lines written above the class.</summary>
    public static string WithAttributes(string code, string className, IReadOnlyList<string> attributes)
    {
        if (attributes.Count == 0)
        {
            return code;
        }

        var declaration = "    public partial class " + className;
        var at = code.IndexOf(declaration, StringComparison.Ordinal);
        return at < 0 ? code : code.Insert(at, string.Concat(attributes.Select(a => "    " + a + Environment.NewLine)));
    }

    /// <summary>
    /// Writes each backfill where its placeholder Sql call stands: migrationBuilder.Backfill(…) when the app references
    /// SafeMigrations.Runtime (which defines it), else the statement that call produces, which the runner reads the same way.
    /// </summary>
    public static string WithBackfills(string code, IReadOnlyDictionary<string, BackfillSpec> backfills, bool canCallBackfill)
    {
        foreach (var (placeholder, spec) in backfills)
        {
            var call = SqlCall + "\"" + placeholder + "\", suppressTransaction: true)";
            var at = code.IndexOf(call, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var indent = new string(' ', at - code.LastIndexOf('\n', at) - 1);
            var replacement = canCallBackfill
                ? "migrationBuilder.Backfill(" + Environment.NewLine
                    + indent + "    table: " + Verbatim(spec.Table) + "," + Environment.NewLine
                    + indent + "    keyColumn: null," + Environment.NewLine
                    + indent + "    set: " + Verbatim(spec.Set) + "," + Environment.NewLine
                    + indent + "    where: " + Verbatim(spec.Where) + "," + Environment.NewLine
                    + indent + "    batchSize: " + spec.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture) + "," + Environment.NewLine
                    + indent + "    schema: " + (spec.Schema is null ? "null" : Verbatim(spec.Schema)) + ")"
                : SqlCall + Verbatim(BackfillSql.Statement(spec)) + ", suppressTransaction: true)";
            code = code[..at] + replacement + code[(at + call.Length)..];
        }

        return code;
    }

    private static string Verbatim(string text) => "@\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Adds ", suppressTransaction: true" to the Sql calls of the operations that need it: the calls appear in the operations' order, Up then Down.</summary>
    internal static string WithSuppressedTransactions(string code, IReadOnlyList<SqlOperation> sqlOperations)
    {
        var result = new StringBuilder(code.Length + 64);
        var position = 0;
        foreach (var operation in sqlOperations)
        {
            var call = code.IndexOf(SqlCall, position, StringComparison.Ordinal);
            if (call < 0)
            {
                break;
            }

            var literalEnd = EndOfLiteral(code, call + SqlCall.Length);
            result.Append(code, position, literalEnd - position);
            if (operation.SuppressTransaction)
            {
                result.Append(", suppressTransaction: true");
            }

            position = literalEnd;
        }

        return result.Append(code, position, code.Length - position).ToString();
    }

    /// <summary>The index just after the C# string literal starting at <paramref name="start"/> (regular, verbatim or raw).</summary>
    private static int EndOfLiteral(string code, int start)
    {
        var i = start;
        while (char.IsWhiteSpace(code[i]))
        {
            i++;
        }

        if (code[i] == '@')
        {
            for (i += 2; i < code.Length; i++)
            {
                if (code[i] == '"')
                {
                    if (i + 1 < code.Length && code[i + 1] == '"')
                    {
                        i++;
                        continue;
                    }

                    return i + 1;
                }
            }
        }
        else if (code.AsSpan(i).StartsWith("\"\"\"", StringComparison.Ordinal))
        {
            var quotes = 0;
            while (code[i + quotes] == '"')
            {
                quotes++;
            }

            var close = code.IndexOf(new string('"', quotes), i + quotes, StringComparison.Ordinal);
            return close + quotes;
        }
        else
        {
            for (i++; i < code.Length; i++)
            {
                if (code[i] == '\\')
                {
                    i++;
                }
                else if (code[i] == '"')
                {
                    return i + 1;
                }
            }
        }

        return code.Length;
    }
}
