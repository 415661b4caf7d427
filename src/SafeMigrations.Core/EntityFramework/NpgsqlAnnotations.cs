using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.EntityFramework;

/// <summary>
/// The annotations the Npgsql provider puts on EF's migration operations, and what they mean for the
/// rules. The analyzers read them from the migration's C# (`.Annotation("Npgsql:…", …)`), the design host
/// from EF's operations; both ask here.
/// </summary>
public static class NpgsqlAnnotations
{
    /// <summary>On CreateIndex: built with CREATE INDEX CONCURRENTLY (IsCreatedConcurrently()).</summary>
    public const string CreatedConcurrently = "Npgsql:CreatedConcurrently";

    /// <summary>On a column: an NpgsqlValueGenerationStrategy (identity, serial, …).</summary>
    public const string ValueGenerationStrategy = "Npgsql:ValueGenerationStrategy";

    /// <summary>On AlterDatabase: "Npgsql:Enum:[schema.]name" with the labels, comma-separated.</summary>
    public const string EnumPrefix = "Npgsql:Enum:";

    /// <summary>The identity an NpgsqlValueGenerationStrategy member stands for (by name: the enum's value prints as its name).</summary>
    public static IdentityKind IdentityOf(object? strategy) => strategy?.ToString() switch
    {
        "IdentityAlwaysColumn" => IdentityKind.Always,
        "IdentityByDefaultColumn" => IdentityKind.ByDefault,
        "SerialColumn" => IdentityKind.Serial,
        _ => IdentityKind.None,
    };

    /// <summary>True when the value means "created concurrently" (true, or "True" from an annotation written as text).</summary>
    public static bool IsTrue(object? value) => value is true || (value is string text && bool.TryParse(text, out var parsed) && parsed);

    /// <summary>
    /// The enum types an AlterDatabase changes, from its annotations now and before: a type whose labels
    /// differ (added, removed, reordered). Created and dropped types change no existing column.
    /// </summary>
    public static IReadOnlyList<EnumTypeChange> EnumChanges(IReadOnlyDictionary<string, object?> current, IReadOnlyDictionary<string, object?> previous)
    {
        var changes = new List<EnumTypeChange>();
        foreach (var key in current.Keys.Concat(previous.Keys).Distinct().Where(k => k.StartsWith(EnumPrefix, StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal))
        {
            var newValues = Labels(current.TryGetValue(key, out var now) ? now : null);
            var oldValues = Labels(previous.TryGetValue(key, out var before) ? before : null);
            if (newValues is not null && oldValues is not null && !newValues.SequenceEqual(oldValues))
            {
                changes.Add(new EnumTypeChange(SchemaObjectAction.Alter, EnumType(key)) { OldValues = oldValues, NewValues = newValues });
            }
        }

        return changes;
    }

    private static TableName EnumType(string key)
    {
        var parts = key.Substring(EnumPrefix.Length).Split('.');
        return parts.Length > 1 ? new TableName(parts[1], parts[0]) : new TableName(parts[0]);
    }

    private static IReadOnlyList<string>? Labels(object? value) => value switch
    {
        string text => text.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToList(),
        IEnumerable<string> labels => labels.ToList(),
        _ => null,
    };
}
