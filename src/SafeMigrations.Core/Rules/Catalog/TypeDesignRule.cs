using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Rules.Catalog;

/// <summary>SM1024: type choices that are cheap to get right now and expensive to change later.</summary>
internal sealed class TypeDesignRule : MigrationRule
{
    public static readonly RuleDescriptor Rule = new(
        RuleIds.TypeDesign, "Prefer timestamptz, text, bigint identity keys", Severity.Info, RuleCategory.Design,
        "Use timestamp with time zone (DateTimeOffset or UTC DateTime), text or varchar instead of char(n), and bigint identity keys.");

    public override RuleDescriptor Descriptor => Rule;

    protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
    {
        foreach (var (table, column) in NewColumns.Of(operation.Operation))
        {
            var advice = column.Identity == IdentityKind.Serial ? AdviceFor(StoreType.Parse("serial")) : AdviceFor(StoreType.Parse(column.StoreType));
            if (advice is not null)
            {
                yield return Report(context, operation.Operation, $"Column \"{column.Name}\" of {table}: {advice}");
            }
        }

        if (operation.Operation is CreateTableChange create && create.PrimaryKeyColumns.Count == 1)
        {
            var key = create.Columns.FirstOrDefault(c => c.Name == create.PrimaryKeyColumns[0]);
            if (key is not null && StoreType.Parse(key.StoreType) is { BaseName: "integer" or "smallint" } keyType)
            {
                yield return Report(context, create,
                    $"Primary key \"{key.Name}\" of {create.Name} is {keyType.BaseName}: busy tables exhaust it, and widening a key later rewrites every referencing table (SM1025). Use bigint (long) keys.");
            }
        }
    }

    private static string? AdviceFor(StoreType? type) => type switch
    {
        { BaseName: "timestamp" } => "timestamp without time zone stores wall-clock times with no offset, so values shift with the writer's time zone. Use timestamp with time zone.",
        { BaseName: "character" } => "char(n) pads with spaces and is no faster than text. Use text, or varchar with a CHECK for a limit.",
        { IsSerial: true } => "serial columns have a separately owned sequence that permissions and copies get wrong. Use an identity column.",
        _ => null,
    };
}
