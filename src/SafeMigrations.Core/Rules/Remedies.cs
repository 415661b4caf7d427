using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Rules;

/// <summary>
/// The next command for an error: the template that writes its recipe with the arguments filled from the change, or
/// `safemig migrations add` where generation writes it. Every front end shows the same command, appended to the finding.
/// </summary>
public static class Remedies
{
    private const string UnknownContext = "<YourDbContext>";

    /// <summary>For a change generation writes: remove EF's migration and let safemig write it.</summary>
    private const string Regenerate = "remove this migration (dotnet ef migrations remove) and run dotnet safemig migrations add, which ";

    /// <summary>The command that writes the safe form of <paramref name="change"/> for <paramref name="ruleId"/>; null when none fits.</summary>
    public static string? For(string ruleId, SchemaChange? change, string? contextName)
    {
        var context = " --context " + (string.IsNullOrEmpty(contextName) ? UnknownContext : contextName);
        return (ruleId, change) switch
        {
            (RuleIds.NonConcurrentIndex or RuleIds.UniqueConstraint, CreateIndexChange index) when Known(index.TableName) && index.Columns.Count > 0 =>
                New("index", Pascal("Create", index.Name), context, index.TableName, ("column", string.Join(", ", index.Columns)), ("index-name", index.Name), ("unique", index.IsUnique ? "true" : null)),
            (RuleIds.NonConcurrentDropIndex, DropIndexChange drop) when drop.TableName is { } table && Known(table) =>
                New("index", Pascal("Drop", drop.Name), context, table, ("drop", "true"), ("index-name", drop.Name), ("column", "<its columns>")),
            (RuleIds.UniqueConstraint, AddUniqueConstraintChange unique) when Known(unique.TableName) =>
                New("unique", Pascal("Add", unique.Name), context, unique.TableName, ("column", string.Join(", ", unique.Columns)), ("constraint-name", unique.Name)),
            (RuleIds.AddPrimaryKey, AddPrimaryKeyChange key) when Known(key.TableName) =>
                Regenerate + "builds the key's unique index concurrently and attaches it; or by hand "
                + New("unique", Pascal("Add", key.Name), context, key.TableName, ("kind", "primary-key"), ("column", string.Join(", ", key.Columns)), ("constraint-name", key.Name)),
            (RuleIds.ValidatedForeignKey, AddForeignKeyChange foreignKey) when Known(foreignKey.TableName) =>
                New("constraint", Pascal("Add", foreignKey.Name), context, foreignKey.TableName, ("kind", "foreign-key"), ("constraint-name", foreignKey.Name), ("column", string.Join(", ", foreignKey.Columns)),
                    ("references-table", foreignKey.PrincipalTable.Name), ("references-column", foreignKey.PrincipalColumns.Count > 0 ? string.Join(", ", foreignKey.PrincipalColumns) : null)),
            (RuleIds.ValidatedCheckConstraint, AddCheckConstraintChange check) when Known(check.TableName) =>
                New("constraint", Pascal("Add", check.Name), context, check.TableName, ("constraint-name", check.Name), ("expression", check.Sql)),
            (RuleIds.SetNotNull, AlterColumnChange alter) when Known(alter.TableName) =>
                New("not-null", Pascal("Require", alter.Column.Name), context, alter.TableName, ("column", alter.Column.Name)) + " (then the model change, then --step finish)",
            (RuleIds.RequiredColumnWithoutDefault, AddColumnChange add) when Known(add.TableName) =>
                Regenerate + $"with --fill \"{add.Column.Name}=<SQL for existing rows>\" adds it nullable and makes it NOT NULL in [ContractMigration]s after a batched fill; or by hand add it nullable, then "
                + New("not-null", Pascal("Require", add.Column.Name), context, add.TableName, ("column", add.Column.Name), ("backfill", "\"" + add.Column.Name + "\" = …")),
            (RuleIds.RenameColumn, RenameColumnChange rename) when Known(rename.TableName) =>
                Regenerate + "writes the expand/contract; or by hand " + New("expand", Pascal("Rename", rename.Column + "To" + Capitalized(rename.NewName)), context, rename.TableName, ("old-column", rename.Column), ("new-column", rename.NewName)),
            (RuleIds.RewritingTypeChange or RuleIds.KeyColumnTypeChange, AlterColumnChange alter) when Known(alter.TableName) && alter.Column.StoreType is { Length: > 0 } type =>
                $"map the property to a new column (HasColumnName(\"{alter.Column.Name}_new\")) and run dotnet safemig migrations add, which writes the expand/contract; or by hand "
                + New("expand", Pascal("Change", alter.Column.Name + "Type"), context, alter.TableName, ("old-column", alter.Column.Name), ("new-column", alter.Column.Name + "_new"), ("new-type", type), ("old-type", alter.Old?.StoreType)),
            (RuleIds.NarrowingTypeChange, AlterColumnChange alter) when Known(alter.TableName) && Length(alter.Column.StoreType) is { } length =>
                (Length(alter.Old?.StoreType) is { } before ? $"put the model's max length back to {before} (HasMaxLength({before})), so EF scaffolds no AlterColumn, " : "keep the column's type in the model, so EF scaffolds no AlterColumn, ")
                + "and limit the length with a check: " + New("constraint", Pascal("Limit", alter.Column.Name + "Length"), context, alter.TableName,
                    ("constraint-name", alter.TableName.Name + "_" + alter.Column.Name + "_length"), ("expression", "char_length(\"" + alter.Column.Name + "\") <= " + length.ToString(CultureInfo.InvariantCulture))),
            (RuleIds.RenameTable, RenameTableChange rename) when Known(rename.Name) =>
                $"keep the table's name: map the entity to it (ToTable(\"{rename.Name.Name}\")), and EF scaffolds no rename",
            (RuleIds.RewritingColumnDefault, AddColumnChange add) when Known(add.TableName) && add.Column.DefaultValueSql is { Length: > 0 } expression =>
                Regenerate + "adds it without the default, sets the default for new rows and fills the rest in batches; or by hand add the column without the default, SET DEFAULT for new rows, then "
                + New("backfill", Pascal("Backfill", add.Column.Name), context, add.TableName, ("set", "\"" + add.Column.Name + "\" = " + expression), ("where", "\"" + add.Column.Name + "\" IS NULL")),
            (RuleIds.DropColumn, DropColumnChange drop) when Known(drop.TableName) => Regenerate + "writes the contract form; or by hand, stop mapping it in this release, then "
                + New("drop", Pascal("Drop", drop.Column), context, drop.TableName, ("column", drop.Column), ("column-type", "<its type>"), ("justification", "<why nothing reads it>")) + " in the next",
            (RuleIds.DropTable, DropTableChange drop) when Known(drop.Name) => Regenerate + "writes the contract form; or by hand, stop mapping it in this release, then "
                + New("drop", Pascal("Drop", drop.Name.Name), context, drop.Name, ("justification", "<why nothing reads it>")) + " in the next",
            _ => null,
        };
    }

    /// <summary>The finding with its next command appended, when there is one.</summary>
    public static Finding WithRemedy(Finding finding, SchemaChange? change, string? contextName) =>
        finding.Severity == Severity.Error && For(finding.RuleId, change, contextName) is { } command
            ? finding with { Message = finding.Message.TrimEnd() + " Next: " + command + (command.Contains("dotnet new safemig-") ? " (the templates, once: " + InstallTemplates + ")" : string.Empty) + "." }
            : finding;

    /// <summary>What makes the dotnet new commands a remedy names work: the template pack, installed once per machine.</summary>
    public const string InstallTemplates = "dotnet new install SafeMigrations.Templates";

    private static string New(string template, string name, string context, TableName table, params (string Option, string? Value)[] options) =>
        "dotnet new safemig-" + template + " -n " + name + context
        + (table.Schema is { } schema ? " --schema " + schema : string.Empty)
        + " --table " + table.Name
        + string.Concat(options.Where(o => o.Value is not null).Select(o => " --" + o.Option + " " + Argument(o.Value!)))
        + " -o Migrations";

    private static string Argument(string value) =>
        value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.') ? value : "\"" + value.Replace("\"", "\\\"") + "\"";

    private static string Pascal(string verb, string name) =>
        verb + string.Concat(Regex.Split(name, "[^A-Za-z0-9]+").Where(p => p.Length > 0).Select(Capitalized));

    private static string Capitalized(string part) => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part.Substring(1);

    private static bool Known(TableName table) => table.Name.Length > 0 && table.Name != "?";

    private static int? Length(string? storeType) =>
        storeType is not null && Regex.Match(storeType, @"\((\d+)\)") is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
}
