using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace SafeMigrations.Design;

/// <summary>
/// The canonical text of a migration's operations, for the lock file's checksum: each operation's type
/// and every public property that has a value, annotations sorted by name. Reformatting the migration
/// or adding comments changes nothing; changing what an operation does changes the text. Properties at
/// their default value are left out, so a property a later EF version adds does not change old checksums.
/// </summary>
internal static class OperationFingerprint
{
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        nameof(MigrationOperation.IsDestructiveChange),
        "IsReadOnly",
    };

    public static string Of(IReadOnlyList<MigrationOperation> up, IReadOnlyList<MigrationOperation> down)
    {
        var text = new StringBuilder();
        text.Append("up\n");
        foreach (var operation in up)
        {
            Write(text, operation, 1);
        }

        text.Append("down\n");
        foreach (var operation in down)
        {
            Write(text, operation, 1);
        }

        return text.ToString();
    }

    private static void Write(StringBuilder text, object operation, int depth)
    {
        var type = operation.GetType();
        text.Append(' ', depth * 2).Append(type.Name).Append('\n');
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.GetIndexParameters().Length == 0 && !Ignored.Contains(p.Name))
                     .OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var value = property.GetValue(operation);
            if (IsDefault(value))
            {
                continue;
            }

            text.Append(' ', depth * 2 + 2).Append(property.Name).Append(": ");
            WriteValue(text, value!, depth + 1);
        }

        if (operation is IAnnotatable annotatable)
        {
            foreach (var annotation in annotatable.GetAnnotations().OrderBy(a => a.Name, StringComparer.Ordinal))
            {
                text.Append(' ', depth * 2 + 2).Append('@').Append(annotation.Name).Append(": ");
                WriteValue(text, annotation.Value, depth + 1);
            }
        }
    }

    private static void WriteValue(StringBuilder text, object? value, int depth)
    {
        switch (value)
        {
            case null:
                text.Append("null\n");
                break;
            case MigrationOperation or IAnnotatable:
                text.Append('\n');
                Write(text, value, depth + 1);
                break;
            case string s:
                text.Append('"').Append(s.Replace("\r\n", "\n", StringComparison.Ordinal)).Append("\"\n");
                break;
            case Type t:
                text.Append(t.FullName).Append('\n');
                break;
            case IEnumerable items and not string:
                text.Append('[');
                foreach (var item in items)
                {
                    if (item is MigrationOperation or IAnnotatable)
                    {
                        text.Append('\n');
                        Write(text, item, depth + 1);
                    }
                    else if (item is IEnumerable inner and not string)
                    {
                        WriteValue(text, inner, depth + 1);
                    }
                    else
                    {
                        text.Append(Scalar(item)).Append(',');
                    }
                }

                text.Append("]\n");
                break;
            default:
                text.Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static string Scalar(object? value) => value switch
    {
        null => "null",
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static bool IsDefault(object? value) => value switch
    {
        null => true,
        bool flag => !flag,
        string => false,
        IEnumerable items => !items.GetEnumerator().MoveNext(),
        Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture) == 0,
        _ => false,
    };
}
