using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Tests.Analysis;

/// <summary>
/// Random operations with odd store types, defaults, identifiers and SQL, built so they reach every
/// rule (existing tables, old and new column definitions, constraints over the new columns), judged
/// with no exception and no rule failing (SM0003): the analyzers run inside the compiler, where an
/// exception would be an AD0001 that loses the migration's other findings.
/// </summary>
[TestClass]
public sealed class RuleFuzzTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Random_operations_reach_every_rule_without_an_exception_or_a_rule_failure()
    {
        var random = new Random(20261203);
        var analyzer = new MigrationAnalyzer(new AnalysisOptions { CheckDown = true });
        var history = new SchemaHistory();
        var operations = 0;
        const int Migrations = 3000;
        for (var i = 0; i < Migrations; i++)
        {
            var up = Enumerable.Range(0, random.Next(1, 6)).Select(_ => Fuzz.Operation(random)).ToList();
            operations += up.Count;
            var migration = new MigrationDefinition($"2026010100{i:D4}_Fuzz", up)
            {
                DownOperations = [Fuzz.Operation(random)],
                DownState = (DownState)random.Next(0, 5),
                Suppressions = random.Next(4) == 0 ? [new Suppression(Fuzz.Pick(random, ["SM1001", "SM1011", "", "SM9999"]), Fuzz.Pick(random, [null, "", "ok", Suppression.JustificationPlaceholder]))] : [],
            };

            var findings = analyzer.Analyze(migration, history);

            var failures = findings.Where(f => f.RuleId == RuleIds.RuleFailed).ToList();
            Assert.IsEmpty(failures, $"a rule failed on {string.Join(" | ", up)}: {string.Join(" | ", failures.Select(f => f.Message))}");
        }

        TestContext.WriteLine($"{Migrations} migrations, {operations} operations judged by all {RuleCatalog.MigrationRules.Count} migration rules without an exception");
    }

    [TestMethod]
    public void A_rule_that_throws_costs_only_its_own_judgement_of_that_operation()
    {
        var analyzer = new MigrationAnalyzer(options: null, rules: [new ThrowingRule(), .. RuleCatalog.MigrationRules]);
        var findings = analyzer.Analyze(Judge.Migration(new DropColumnChange(Judge.Tasks, "explode"), new DropColumnChange(Judge.Tasks, "description")));

        var failure = findings.Single(f => f.RuleId == RuleIds.RuleFailed);
        StringAssert.Contains(failure.Message, "SM1011 could not judge");
        StringAssert.Contains(failure.Message, "\"explode\"");
        Assert.HasCount(2, findings.Where(f => f.RuleId == RuleIds.DropColumn).ToList(), "the real rule judged both drops");
    }

    /// <summary>Pretends to be SM1011 and fails on one column, as a rule with a bug would.</summary>
    private sealed class ThrowingRule : MigrationRule
    {
        public override RuleDescriptor Descriptor => Core.Rules.Catalog.DropColumnRule.Rule;

        protected override IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation)
        {
            if (operation.Operation is DropColumnChange { Column: "explode" })
            {
                throw new FormatException("a bug");
            }

            yield break;
        }
    }
}

/// <summary>Random inputs for the rules, biased towards the shapes that break parsers.</summary>
internal static class Fuzz
{
    private static readonly string[] TypeNames =
    [
        "integer", "int4", "bigint", "smallint", "numeric", "decimal", "text", "varchar", "character varying", "char", "bpchar",
        "timestamp", "timestamptz", "timestamp with time zone", "time", "interval", "uuid", "jsonb", "json", "boolean", "bytea",
        "bit varying", "serial", "bigserial", "cidr", "inet", "\"quoted\"", "pg_catalog.int8", "my_schema.my_type", "", " ", "(", "numeric(", "tsvector",
    ];

    private static readonly string[] Modifiers =
    [
        "", "(10)", "(10,2)", "(10,)", "(,2)", "(99999999999)", "(-1)", "(0)", "()", "(1,2,3)", "(2147483647)", "(2147483648)", "(a)", "( 5 , 1 )", "[]", "[][]", "(10)[]", "[3]",
    ];

    private static readonly string[] Identifiers =
    [
        "title", "Title", "description", "id", "user_id", "", " ", "\"", "a\"b", "ñandú", "列", "🙂", new string('x', 63), new string('x', 64), new string('é', 40), "select", "a b",
    ];

    private static readonly object?[] Values =
    [
        null, 0, 1, -1, 0L, 0m, 0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, float.NaN, decimal.MaxValue, "", "x", "'", false, true,
        '\0', Guid.Empty, Guid.NewGuid(), DateTime.MinValue, DateTime.MaxValue, DateTimeOffset.MinValue, TimeSpan.Zero, TimeSpan.MinValue, Array.Empty<object>(), new byte[3], (byte)0, ulong.MaxValue,
    ];

    private static readonly string[] Sql =
    [
        "ALTER TABLE todo_items ADD COLUMN x integer NOT NULL", "CREATE INDEX CONCURRENTLY ix ON todo_items (x)", "ALTER TABLE todo_items ALTER COLUMN title TYPE numeric(99999999999)",
        "ALTER TABLE t ALTER COLUMN c TYPE varchar(10,)", "UPDATE todo_items SET x = 1", "ALTER DOMAIN d VALIDATE CONSTRAINT c", "CREATE VIEW v AS SELECT 1", "DO $$ BEGIN END $$",
        "ALTER TABLE \"", "COMMIT", "ALTER TYPE e RENAME VALUE 'a' TO 'b'", "ALTER TABLE t ADD CONSTRAINT c EXCLUDE USING gist (r WITH &&)", "REINDEX TABLE t", "", ";;;", "ALTER TABLE t RENAME TO",
    ];

    public static T Pick<T>(Random random, IReadOnlyList<T> from) => from[random.Next(from.Count)];

    public static string? StoreType(Random random) =>
        random.Next(8) == 0 ? null : Pick(random, TypeNames) + Pick(random, Modifiers) + (random.Next(6) == 0 ? " with time zone" : string.Empty);

    public static ColumnDefinition Column(Random random, string? name = null) => new(name ?? Pick(random, Identifiers))
    {
        StoreType = StoreType(random),
        IsNullable = random.Next(3) switch { 0 => null, 1 => true, _ => false },
        HasDefaultValue = random.Next(2) == 0,
        DefaultValue = Pick(random, Values),
        DefaultValueIsClrDefault = random.Next(2) == 0,
        IsDefaultConfigured = random.Next(3) switch { 0 => null, 1 => true, _ => false },
        DefaultValueSql = random.Next(4) == 0 ? Pick(random, ["now()", "gen_random_uuid()", "f(", "'x'", "", "nextval('s')"]) : null,
        ComputedColumnSql = random.Next(10) == 0 ? "a + b" : null,
        IsComputedStored = random.Next(3) switch { 0 => null, 1 => true, _ => false },
        Identity = (IdentityKind)random.Next(0, 4),
        MaxLength = random.Next(4) == 0 ? random.Next(-5, 3000) : null,
        Collation = random.Next(6) == 0 ? Pick(random, ["C", "case_insensitive", ""]) : null,
    };

    public static SchemaChange Operation(Random random)
    {
        var table = new TableName(Pick(random, ["todo_items", "users", "", "\"q\"", new string('t', 70)]), random.Next(4) == 0 ? Pick(random, ["public", "app", ""]) : null);
        var column = Pick(random, Identifiers);
        IReadOnlyList<string> Columns() => Enumerable.Range(0, random.Next(0, 3)).Select(_ => Pick(random, Identifiers)).ToList();
        return random.Next(22) switch
        {
            0 => new AddColumnChange(table, Column(random, column)),
            1 => new AlterColumnChange(table, Column(random, column), random.Next(5) == 0 ? null : Column(random, column)) { IsKeyColumn = random.Next(3) switch { 0 => null, 1 => true, _ => false } },
            2 => new DropColumnChange(table, column),
            3 => new RenameColumnChange(table, column, Pick(random, Identifiers)),
            4 => new CreateTableChange(table, Enumerable.Range(0, random.Next(0, 4)).Select(_ => Column(random)).ToList()) { PrimaryKeyColumns = Columns() },
            5 => new DropTableChange(table),
            6 => new RenameTableChange(table, new TableName(Pick(random, Identifiers))),
            7 => new CreateIndexChange(Pick(random, Identifiers), table, Columns()) { IsUnique = random.Next(2) == 0, Concurrently = random.Next(2) == 0 },
            8 => new DropIndexChange(Pick(random, Identifiers), random.Next(2) == 0 ? table : null),
            9 => new AddForeignKeyChange(Pick(random, Identifiers), table, Columns(), new TableName(Pick(random, Identifiers))) { NotValid = random.Next(2) == 0 },
            10 => new AddCheckConstraintChange(Pick(random, Identifiers), table, Pick(random, ["x IS NOT NULL", "\"title\" IS NOT NULL", "", "(", "length(x) < 3"])) { NotValid = random.Next(2) == 0 },
            11 => new AddUniqueConstraintChange(Pick(random, Identifiers), table, Columns()),
            12 => new AddPrimaryKeyChange(Pick(random, Identifiers), table, Columns()),
            13 => new ValidateConstraintChange(Pick(random, Identifiers), table),
            14 => new DataChange((DataChangeKind)random.Next(0, 4), table),
            15 => new RawSqlChange(Pick(random, Sql)) { SuppressTransaction = random.Next(2) == 0, IsKnown = random.Next(8) != 0 },
            16 => new EnumTypeChange(SchemaObjectAction.Alter, table) { OldValues = Columns(), NewValues = Columns() },
            17 => new SchemaNamespaceChange((SchemaObjectAction)random.Next(0, 4), column),
            18 => new MaintenanceChange((MaintenanceKind)random.Next(0, 8), random.Next(2) == 0 ? table : null, "MAINTENANCE"),
            19 => new DomainConstraintChange(table, random.Next(2) == 0) { NotValid = random.Next(2) == 0, IsValidation = random.Next(2) == 0 },
            20 => new CreateViewChange(table),
            _ => new UnanalyzableSqlChange(Pick(random, Sql), "fuzz"),
        };
    }
}
