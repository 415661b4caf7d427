using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace SafeMigrations.Runtime.Fixture;

// The migrations as EF would scaffold them, written by hand and shared between contexts by inheritance:
// each context's [DbContext]/[Migration] subclass makes EF discover the same migration for it.

public abstract class CreateCustomersBase : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "customers",
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false).Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                name = table.Column<string>(type: "text", nullable: false),
                email = table.Column<string>(type: "text", nullable: true),
                legacy_code = table.Column<string>(type: "text", nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_customers", x => x.id));
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "customers");
}

public abstract class AddOrdersBase : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "orders",
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false).Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                customer_id = table.Column<long>(type: "bigint", nullable: false),
                total = table.Column<decimal>(type: "numeric(12,2)", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_orders", x => x.id);
                table.ForeignKey("fk_orders_customers", x => x.customer_id, "customers", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "ix_orders_customer_id", table: "orders", column: "customer_id");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "orders");
}

public abstract class AddEmailIndexBase : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateIndex(name: "ix_customers_email", table: "customers", column: "email").Annotation("Npgsql:CreatedConcurrently", true);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropIndex(name: "ix_customers_email", table: "customers");
}

public abstract class AddCustomerTierBase : Migration
{
    protected virtual int DefaultTier => 0;

    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<int>(name: "tier", table: "customers", type: "integer", nullable: false, defaultValue: DefaultTier);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "tier", table: "customers");
}

public abstract class BackfillEmailBase : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("UPDATE customers SET email = lower(name) || '@example.com' WHERE email IS NULL;");

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}

public abstract class RequireEmailBase : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AlterColumn<string>(name: "email", table: "customers", type: "text", nullable: false, oldClrType: typeof(string), oldType: "text", oldNullable: true);
        migrationBuilder.DropColumn(name: "legacy_code", table: "customers");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "legacy_code", table: "customers", type: "text", nullable: true);
        migrationBuilder.AlterColumn<string>(name: "email", table: "customers", type: "text", nullable: true, oldClrType: typeof(string), oldType: "text");
    }
}

public abstract class BrokenBase : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>(name: "score", table: "customers", type: "integer", nullable: true);
        migrationBuilder.Sql("UPDATE customers SET score = 1 / (id - id);");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "score", table: "customers");
}

public abstract class UniqueNameBase : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateIndex(name: "ux_customers_name", table: "customers", column: "name", unique: true);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropIndex(name: "ux_customers_name", table: "customers");
}

[DbContext(typeof(ShopV1))] [Migration("20260101000000_CreateCustomers")] public sealed class V1CreateCustomers : CreateCustomersBase;
[DbContext(typeof(ShopV1))] [Migration("20260101000100_AddOrders")] public sealed class V1AddOrders : AddOrdersBase;
[DbContext(typeof(ShopV1))] [Migration("20260101000200_AddEmailIndex")] public sealed class V1AddEmailIndex : AddEmailIndexBase;
[DbContext(typeof(ShopV1))] [Migration("20260101000300_AddCustomerTier")] public sealed class V1AddCustomerTier : AddCustomerTierBase;

[DbContext(typeof(ShopEdited))] [Migration("20260101000000_CreateCustomers")] public sealed class EditedCreateCustomers : CreateCustomersBase;
[DbContext(typeof(ShopEdited))] [Migration("20260101000100_AddOrders")] public sealed class EditedAddOrders : AddOrdersBase;
[DbContext(typeof(ShopEdited))] [Migration("20260101000200_AddEmailIndex")] public sealed class EditedAddEmailIndex : AddEmailIndexBase;
[DbContext(typeof(ShopEdited))] [Migration("20260101000300_AddCustomerTier")] public sealed class EditedAddCustomerTier : AddCustomerTierBase
{
    protected override int DefaultTier => 2;
}

[DbContext(typeof(ShopLateMerge))] [Migration("20260101000000_CreateCustomers")] public sealed class LateCreateCustomers : CreateCustomersBase;
[DbContext(typeof(ShopLateMerge))] [Migration("20260101000100_AddOrders")] public sealed class LateAddOrders : AddOrdersBase;
[DbContext(typeof(ShopLateMerge))] [Migration("20260101000150_AddUniqueNameLate")] public sealed class LateUniqueName : UniqueNameBase;
[DbContext(typeof(ShopLateMerge))] [Migration("20260101000200_AddEmailIndex")] public sealed class LateAddEmailIndex : AddEmailIndexBase;
[DbContext(typeof(ShopLateMerge))] [Migration("20260101000300_AddCustomerTier")] public sealed class LateAddCustomerTier : AddCustomerTierBase;

[DbContext(typeof(ShopV2))] [Migration("20260101000000_CreateCustomers")] public sealed class V2CreateCustomers : CreateCustomersBase;
[DbContext(typeof(ShopV2))] [Migration("20260101000100_AddOrders")] public sealed class V2AddOrders : AddOrdersBase;
[DbContext(typeof(ShopV2))] [Migration("20260101000200_AddEmailIndex")] public sealed class V2AddEmailIndex : AddEmailIndexBase;
[DbContext(typeof(ShopV2))] [Migration("20260101000300_AddCustomerTier")] public sealed class V2AddCustomerTier : AddCustomerTierBase;
[DbContext(typeof(ShopV2))] [Migration("20260201000000_BackfillEmail")] public sealed class V2BackfillEmail : BackfillEmailBase;
[DbContext(typeof(ShopV2))] [Migration("20260201000100_RequireEmail")] [ContractMigration(Justification = "release 2 writes email and no longer reads legacy_code")] public sealed class V2RequireEmail : RequireEmailBase;

[DbContext(typeof(ShopBroken))] [Migration("20260101000000_CreateCustomers")] public sealed class BrokenCreateCustomers : CreateCustomersBase;
[DbContext(typeof(ShopBroken))] [Migration("20260101000100_AddOrders")] public sealed class BrokenAddOrders : AddOrdersBase;
[DbContext(typeof(ShopBroken))] [Migration("20260101000200_AddEmailIndex")] public sealed class BrokenAddEmailIndex : AddEmailIndexBase;
[DbContext(typeof(ShopBroken))] [Migration("20260101000300_AddCustomerTier")] public sealed class BrokenAddCustomerTier : AddCustomerTierBase;
[DbContext(typeof(ShopBroken))] [Migration("20260301000000_AddScore")] public sealed class BrokenAddScore : BrokenBase;

[DbContext(typeof(ShopUniqueName))] [Migration("20260101000000_CreateCustomers")] public sealed class UniqueCreateCustomers : CreateCustomersBase;
[DbContext(typeof(ShopUniqueName))] [Migration("20260101000100_AddOrders")] public sealed class UniqueAddOrders : AddOrdersBase;
[DbContext(typeof(ShopUniqueName))] [Migration("20260101000200_AddEmailIndex")] public sealed class UniqueAddEmailIndex : AddEmailIndexBase;
[DbContext(typeof(ShopUniqueName))] [Migration("20260101000300_AddCustomerTier")] public sealed class UniqueAddCustomerTier : AddCustomerTierBase;
[DbContext(typeof(ShopUniqueName))] [Migration("20260301000000_AddUniqueName")] public sealed class UniqueAddUniqueName : UniqueNameBase;

public abstract class SlowNoteBase : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "note", table: "customers", type: "text", nullable: true);
        migrationBuilder.Sql("SELECT pg_sleep(3);");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "note", table: "customers");
}

[DbContext(typeof(ShopSlow))] [Migration("20260101000000_CreateCustomers")] public sealed class SlowCreateCustomers : CreateCustomersBase;
[DbContext(typeof(ShopSlow))] [Migration("20260101000100_AddOrders")] public sealed class SlowAddOrders : AddOrdersBase;
[DbContext(typeof(ShopSlow))] [Migration("20260101000200_AddEmailIndex")] public sealed class SlowAddEmailIndex : AddEmailIndexBase;
[DbContext(typeof(ShopSlow))] [Migration("20260101000300_AddCustomerTier")] public sealed class SlowAddCustomerTier : AddCustomerTierBase;
[DbContext(typeof(ShopSlow))] [Migration("20260401000000_AddSlowNote")] public sealed class SlowAddNote : SlowNoteBase;

public abstract class AddCustomerCodeBase : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<string>(name: "code", table: "customers", type: "text", nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "code", table: "customers");
}

public abstract class BackfillCustomerCodeBase : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Backfill("customers", keyColumn: null, set: "code = 'C-' || id", where: "code IS NULL", batchSize: 500); // the primary key, found when it runs

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}

[DbContext(typeof(ShopBackfill))] [Migration("20260101000000_CreateCustomers")] public sealed class BackfillCreateCustomers : CreateCustomersBase;
[DbContext(typeof(ShopBackfill))] [Migration("20260101000100_AddOrders")] public sealed class BackfillAddOrders : AddOrdersBase;
[DbContext(typeof(ShopBackfill))] [Migration("20260501000000_AddCustomerCode")] public sealed class BackfillAddCustomerCode : AddCustomerCodeBase;
[DbContext(typeof(ShopBackfill))] [Migration("20260501000100_BackfillCustomerCode")] public sealed class BackfillBackfillCustomerCode : BackfillCustomerCodeBase;

public abstract class ThrowingBase : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => throw new InvalidOperationException("unfinished migration");

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}

[DbContext(typeof(ShopThrowing))] [Migration("20260101000000_CreateCustomers")] public sealed class ThrowingCreateCustomers : CreateCustomersBase;
[DbContext(typeof(ShopThrowing))] [Migration("20260101000100_AddOrders")] public sealed class ThrowingAddOrders : AddOrdersBase;
[DbContext(typeof(ShopThrowing))] [Migration("20260601000000_Unfinished")] public sealed class ThrowingUnfinished : ThrowingBase;

public abstract class EraseLegacyCodesBase : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "legacy_code", table: "customers");

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.AddColumn<string>(name: "legacy_code", table: "customers", type: "text", nullable: true);
}

[DbContext(typeof(ShopErase))] [Migration("20260101000000_CreateCustomers")] public sealed class EraseCreateCustomers : CreateCustomersBase;
[DbContext(typeof(ShopErase))] [Migration("20260401000000_EraseLegacyCodes")] [DeclineBackup(Justification = "legacy codes are personal data, erased under the retention policy")] public sealed class EraseLegacyCodes : EraseLegacyCodesBase;
