using SafeMigrations.Core.EntityFramework;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>The type change an AlterColumn makes, shared by SM1006, SM1008 and SM1025.</summary>
internal static class ColumnTypeChanges
{
    public static TypeChange Of(AlterColumnChange alter)
    {
        // A migration that states only CLR types (older EF, or written by hand) changes the store type
        // when the CLR type changes: Npgsql maps the new one to its default.
        var clrTypeChanged = alter.Old?.ClrType is { } oldClr && alter.Column.ClrType is { } newClr && oldClr.TrimEnd('?') != newClr.TrimEnd('?');
        var newType = alter.Column.StoreType ?? (clrTypeChanged ? NpgsqlStoreTypes.DefaultFor(alter.Column.ClrType) : null);
        var oldType = alter.Old?.StoreType ?? (clrTypeChanged ? NpgsqlStoreTypes.DefaultFor(alter.Old?.ClrType) : null);
        if (clrTypeChanged && (newType is null || oldType is null))
        {
            return TypeChange.Unknown;
        }

        if (newType is not null)
        {
            return oldType is null ? TypeChange.Unknown : TypeChanges.Classify(oldType, newType);
        }

        // No store type: EF states only the max length when the type comes from conventions.
        var newLength = alter.Column.MaxLength;
        var oldLength = alter.Old?.MaxLength;
        if (newLength == oldLength || alter.Old is null)
        {
            return TypeChange.None;
        }

        return newLength is null || (oldLength is not null && newLength > oldLength) ? TypeChange.BinaryCoercible : TypeChange.Narrowing;
    }

    /// <summary>Whether the collation changes: EF states collation: and oldCollation: whenever either is set.</summary>
    public static bool CollationChanges(AlterColumnChange alter) =>
        alter.Old is { } old && (alter.Column.Collation is not null || old.Collation is not null)
        && !string.Equals(alter.Column.Collation, old.Collation, System.StringComparison.Ordinal);

    public static string Describe(AlterColumnChange alter) =>
        (alter.Old?.StoreType ?? NpgsqlStoreTypes.DefaultFor(alter.Old?.ClrType) ?? (alter.Old?.MaxLength is { } oldLength ? "length " + oldLength : alter.Old is not null && alter.Column.MaxLength is not null ? "no length limit" : "its current type"))
        + " to "
        + (alter.Column.StoreType ?? NpgsqlStoreTypes.DefaultFor(alter.Column.ClrType) ?? (alter.Column.MaxLength is { } length ? "length " + length : "no length limit"));
}
