using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Core.Tests.Postgres;

[TestClass]
public sealed class PostgresKnowledgeTests
{
    [TestMethod]
    [DataRow("varchar(10)", "varchar(20)", TypeChange.BinaryCoercible)]
    [DataRow("character varying(20)", "varchar(10)", TypeChange.Narrowing)]
    [DataRow("varchar(20)", "character varying", TypeChange.BinaryCoercible)]
    [DataRow("varchar(20)", "text", TypeChange.BinaryCoercible)]
    [DataRow("text", "varchar", TypeChange.BinaryCoercible)]
    [DataRow("text", "varchar(5)", TypeChange.Narrowing)]
    [DataRow("numeric(10,2)", "numeric(12,2)", TypeChange.BinaryCoercible)]
    [DataRow("numeric(10,2)", "numeric", TypeChange.BinaryCoercible)]
    [DataRow("numeric(10,2)", "numeric(8,2)", TypeChange.Rewrite)]
    [DataRow("numeric(10,2)", "numeric(10,3)", TypeChange.Rewrite)]
    [DataRow("timestamp(3)", "timestamp without time zone", TypeChange.BinaryCoercible)]
    [DataRow("timestamptz", "timestamp(3) with time zone", TypeChange.Rewrite)]
    [DataRow("timestamp", "timestamptz", TypeChange.RewriteUnlessUtc)]
    [DataRow("int4", "integer", TypeChange.None)]
    [DataRow("integer", "bigint", TypeChange.Rewrite)]
    [DataRow("integer[]", "bigint[]", TypeChange.Rewrite)]
    [DataRow("varchar(10)[]", "varchar(20)[]", TypeChange.BinaryCoercible)]
    [DataRow("cidr", "inet", TypeChange.BinaryCoercible)]
    [DataRow("json", "jsonb", TypeChange.Rewrite)]
    [DataRow(null, "text", TypeChange.Unknown)]
    public void Type_changes_are_classified(string? from, string to, TypeChange expected)
    {
        Assert.AreEqual(expected, TypeChanges.Classify(from, to));
    }

    [TestMethod]
    public void Store_types_fold_aliases()
    {
        Assert.AreEqual("timestamp with time zone", StoreType.Parse("TIMESTAMPTZ")!.BaseName);
        Assert.AreEqual("character varying", StoreType.Parse("pg_catalog.varchar(3)")!.BaseName);
        Assert.AreEqual(3, StoreType.Parse("timestamp(3) with time zone")!.Length);
        Assert.IsTrue(StoreType.Parse("bigserial")!.IsSerial);
        Assert.IsNull(StoreType.Parse("not a ( type"));
    }

    [TestMethod]
    public void Volatility_of_defaults()
    {
        Assert.IsTrue(FunctionVolatility.IsVolatile("gen_random_uuid()"));
        Assert.IsTrue(FunctionVolatility.IsVolatile("nextval('s'::regclass)"));
        Assert.IsTrue(FunctionVolatility.IsVolatile("public.my_func(1)"));
        Assert.IsFalse(FunctionVolatility.IsVolatile("now()"));
        Assert.IsFalse(FunctionVolatility.IsVolatile("'random()'"));
        Assert.IsFalse(FunctionVolatility.IsVolatile("CURRENT_TIMESTAMP"));
        Assert.IsFalse(FunctionVolatility.IsVolatile(null));
    }

    [TestMethod]
    public void Identifier_length_is_measured_in_utf8_bytes()
    {
        Assert.IsFalse(PostgresIdentifiers.IsTooLong(new string('a', 63)));
        Assert.IsTrue(PostgresIdentifiers.IsTooLong(new string('a', 64)));
        Assert.IsTrue(PostgresIdentifiers.IsTooLong(new string('ü', 32)));
    }

    [TestMethod]
    public void Lock_names_and_effects()
    {
        Assert.AreEqual("ACCESS EXCLUSIVE", LockLevel.AccessExclusive.SqlName());
        Assert.IsTrue(LockLevel.Share.BlocksWrites());
        Assert.IsFalse(LockLevel.ShareUpdateExclusive.BlocksWrites());
        Assert.IsTrue(LockLevel.AccessExclusive.BlocksReads());
    }
}
