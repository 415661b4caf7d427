namespace SafeMigrations.Core.EntityFramework;

/// <summary>
/// The store type the Npgsql provider maps a CLR type to when the model names none, for the types whose
/// mapping has not changed across provider versions (DateTime has: timestamp before Npgsql 6,
/// timestamp with time zone since). Migrations written by older EF versions, or by hand, often state only
/// the CLR type of an AlterColumn.
/// </summary>
public static class NpgsqlStoreTypes
{
    public static string? DefaultFor(string? clrType) => clrType?.TrimEnd('?') switch
    {
        "short" => "smallint",
        "int" => "integer",
        "long" => "bigint",
        "bool" => "boolean",
        "decimal" => "numeric",
        "double" => "double precision",
        "float" => "real",
        "string" => "text",
        "Guid" => "uuid",
        "byte[]" => "bytea",
        "TimeSpan" => "interval",
        "DateOnly" => "date",
        _ => null,
    };
}
