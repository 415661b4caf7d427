using Npgsql;
using SafeMigrations.Testing;

namespace SafeMigrations.Gate.Tests;

/// <summary>
/// safemig migrations add on the model changes a new user makes (a column made required, a unique key, a property
/// removed, a shorter max length): the safe form of each error, built clean by the analyzers and the gate, applied by
/// the runner to a populated database while the previous release keeps writing; what has no safe form names its command.
/// </summary>
[TestClass]
public sealed class GeneratedSafeFormsTests
{
    private const int Products = 3000;

    [TestMethod]
    public async Task Each_error_gets_its_safe_form_and_it_applies_while_the_previous_release_writes()
    {
        await GatePackages.EnsureAsync();
        using var app = SampleApp.Create(EfVersions.Ef10);
        var connection = await SharedPostgres.CreateDatabaseAsync("gate_safe_forms");
        await using var database = NpgsqlDataSource.Create(connection);

        // The release running in production: an optional Sku and a required Legacy column, with rows; a keyless table.
        app.Edit("Product.cs", "public string? Notes { get; set; }", "public string? Notes { get; set; }\n\n    public string? Sku { get; set; }\n\n    public string Legacy { get; set; } = \"\";\n\n    public int Stock { get; set; }");
        app.Edit("Product.cs", "public class Supplier", "public class PriceChange\n{\n    public long Id { get; set; }\n\n    public decimal Price { get; set; }\n}\n\npublic class Supplier");
        app.Edit("ShopContext.cs", "modelBuilder.Entity<Supplier>().ToTable(\"suppliers\");", "modelBuilder.Entity<Supplier>().ToTable(\"suppliers\");\n        modelBuilder.Entity<PriceChange>().ToTable(\"price_changes\").HasNoKey();");
        Assert.AreEqual(0, (await app.SafemigAsync("migrations", "add", "Initial")).ExitCode);
        Assert.AreEqual(0, (await app.BuildAsync()).ExitCode);
        await ApplyAsync(app, connection);
        await ExecuteAsync(database, $"INSERT INTO products (\"Name\", \"Notes\", \"Sku\", \"Legacy\", \"Stock\") SELECT 'p' || g, 'n' || g, 'sku-' || g, 'legacy ' || g, g FROM generate_series(1, {Products}) g");
        await ExecuteAsync(database, $"INSERT INTO price_changes (\"Id\", \"Price\") SELECT g, g * 1.5 FROM generate_series(1, {Products}) g");

        // The next release: Sku required and the products' alternate key, a new required Code with a unique index, Legacy no
        // longer mapped, price_changes keyed.
        app.Edit("Product.cs", "public string? Sku { get; set; }", "public string Sku { get; set; } = \"\";");
        app.Edit("Product.cs", "\n\n    public string Legacy { get; set; } = \"\";", string.Empty);
        app.Edit("Product.cs", "public string Sku { get; set; } = \"\";", "public string Sku { get; set; } = \"\";\n\n    public long? SupplierId { get; set; }\n\n    public Supplier? Supplier { get; set; }");
        app.Edit("ProductConfiguration.cs", "builder.Property(p => p.Name).HasMaxLength(200);",
            "builder.Property(p => p.Name).HasMaxLength(200);\n        builder.HasAlternateKey(p => p.Sku);\n        builder.HasIndex(p => p.Name);\n        builder.HasIndex(p => p.Code).IsUnique();\n        builder.Property(p => p.Code).HasMaxLength(40);\n        builder.Property(p => p.PublicId).HasDefaultValueSql(\"gen_random_uuid()\");\n        builder.ToTable(\"products\", t => t.HasCheckConstraint(\"CK_products_Name\", \"length(\\\"Name\\\") > 0\"));");
        app.Edit("Product.cs", "public int Stock { get; set; }", "public int Stock { get; set; }\n\n    public string Code { get; set; } = \"\";\n\n    public Guid PublicId { get; set; }");
        app.Edit("ShopContext.cs", ".HasNoKey();", ".HasKey(p => p.Id);\n        modelBuilder.Entity<PriceChange>().Property(p => p.Id).ValueGeneratedNever();");
        var pending = await app.BuildAsync();
        Assert.AreNotEqual(0, pending.ExitCode, pending.Output);
        var remedy = SampleApp.One(pending.Output, "SM3001").Message;
        StringAssert.Contains(remedy, "'dotnet safemig migrations add <Name> --context ShopContext --fill");
        StringAssert.Contains(remedy, "--fill \"Code=<SQL for existing rows>\"");
        StringAssert.Contains(remedy, "--fill \"Sku=<SQL for rows that hold NULL>\"");

        // The new required Code has no default: generation asks for the value existing rows get, and writes nothing before.
        var unfilled = await app.SafemigAsync("migrations", "add", "ReleaseTwo");
        Assert.AreNotEqual(0, unfilled.ExitCode, unfilled.Output);
        StringAssert.Contains(unfilled.Output, "Nothing was written. Say the value (SQL, per row; filled in batches): dotnet safemig migrations add ReleaseTwo --fill \"Code=<SQL>\"");
        Assert.IsFalse(Directory.EnumerateFiles(Path.Combine(app.Directory, "Migrations"), "*ReleaseTwo*").Any());

        var add = await app.SafemigAsync("migrations", "add", "ReleaseTwo", "--fill", "Code='c-' || \"Id\"", "--fill", "Sku='sku-' || \"Id\"");
        Assert.AreEqual(0, add.ExitCode, add.Output);
        StringAssert.Contains(add.Output, "Wrote the safe form as 15 migrations");
        StringAssert.Contains(add.Output, "primary key PK_price_changes on a unique index built concurrently");
        StringAssert.Contains(add.Output, "safemig apply --phase contract");
        var main = File.ReadAllText(app.Migration("ReleaseTwo"));
        Assert.DoesNotContain("IS NOT NULL) NOT VALID", main, "the previous release may still write NULL: the NOT NULL recipe waits for the contract");
        StringAssert.Contains(File.ReadAllText(app.Migration("ReleaseTwoRequireNotNull")), "CHECK (\\\"Sku\\\" IS NOT NULL) NOT VALID");
        StringAssert.Contains(File.ReadAllText(app.Migration("ReleaseTwoFillCode")), "/* safemigrations:backfill v1 ", "the batched fill the runner resumes (the app has no SafeMigrations.Runtime for migrationBuilder.Backfill)");
        StringAssert.Contains(main, "migrationBuilder.AlterColumn<string>(\n                name: \"Legacy\"", "this release's inserts, which no longer write Legacy, need it nullable");
        Assert.DoesNotContain("defaultValue: \"\"", File.ReadAllText(app.Migration("ReleaseTwoSetNotNull")), "no UPDATE to a made-up default");
        Assert.DoesNotContain("defaultValue: \"\"", main, "Code is added without EF's made-up default");
        StringAssert.Contains(File.ReadAllText(app.Migration("ReleaseTwoContract")), "[SafeMigrations.ContractMigration(");
        var build = await app.BuildAsync();
        Assert.AreEqual(0, build.ExitCode, build.Output);
        Assert.IsEmpty(SampleApp.Findings(build.Output).Where(f => f.Severity == "error"), "every generated migration passes the analyzers and the gate:\n" + build.Output);

        // Expand while the previous release inserts rows with its own columns: no write fails, and nothing rewrites products.
        var fileBefore = await ScalarAsync<uint>(database, "SELECT relfilenode FROM pg_class WHERE oid = 'products'::regclass");
        using (var stop = new CancellationTokenSource())
        {
            // The previous release maps Sku as optional and writes NULL into it now and then, and knows nothing of Code.
            var writer = PreviousReleaseWritesAsync(database, n => $"INSERT INTO products (\"Name\", \"Notes\", \"Sku\", \"Legacy\", \"Stock\") VALUES ('written meanwhile', NULL, {(n % 2 == 0 ? "NULL" : $"'w-{n}-{Guid.NewGuid():N}'")}, 'legacy', 1)", stop.Token);
            await ApplyAsync(app, connection, "--phase", "expand");
            await stop.CancelAsync();
            var (written, failed) = await writer;
            Assert.IsGreaterThan(0, written, "the previous release wrote while the migrations ran");
            Assert.AreEqual(0, failed.Count, string.Join("\n", failed));
        }

        Assert.IsTrue(await ScalarAsync<bool>(database, "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'products' AND column_name = 'Legacy' AND is_nullable = 'YES')"),
            "the release that stops mapping Legacy keeps it, nullable, so its inserts work");
        Assert.IsGreaterThan(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM products WHERE \"Sku\" IS NULL AND \"Code\" IS NULL"), "the previous release's NULLs went in");
        Assert.AreEqual(fileBefore, await ScalarAsync<uint>(database, "SELECT relfilenode FROM pg_class WHERE oid = 'products'::regclass"), "no statement of the expand rewrote the table (PublicId's volatile default included)");
        Assert.AreEqual("p", await ScalarAsync<string>(database, "SELECT contype::text FROM pg_constraint WHERE conname = 'PK_price_changes'"), "the key, on its concurrently built index");

        // Contract, once the previous release is gone.
        await ApplyAsync(app, connection);
        Assert.IsTrue(await ScalarAsync<bool>(database, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'products'::regclass AND attname = 'Sku'"));
        Assert.IsTrue(await ScalarAsync<bool>(database, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'products'::regclass AND attname = 'Code'"));
        Assert.AreEqual("true 0", await ScalarAsync<string>(database, "SELECT attnotnull::text || ' ' || (SELECT count(*) - count(DISTINCT \"PublicId\") FROM products) FROM pg_attribute WHERE attrelid = 'products'::regclass AND attname = 'PublicId'"),
            "PublicId added without rewriting the table, each row its own value, then NOT NULL");
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM products WHERE \"Code\" <> 'c-' || \"Id\" OR \"Sku\" = ''"), "every row got its --fill value, none a made-up ''");
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_constraint WHERE conname IN ('products_Sku_not_null', 'products_Code_not_null')"), "the helper checks are gone");
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'products' AND column_name = 'Sku' AND column_default IS NOT NULL"), "no DEFAULT '' left behind");
        Assert.AreEqual("u", await ScalarAsync<string>(database, "SELECT contype::text FROM pg_constraint WHERE conname = 'AK_products_Sku'"));
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
        Assert.AreEqual(2L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_index WHERE indexrelid IN ('\"IX_products_Name\"'::regclass, '\"IX_products_SupplierId\"'::regclass)"), "the new indexes, built concurrently");
        Assert.AreEqual(2L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_constraint WHERE conname IN ('CK_products_Name', 'FK_products_suppliers_SupplierId') AND convalidated"), "the check and the foreign key, added NOT VALID and validated");
        Assert.IsFalse(await ScalarAsync<bool>(database, "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'products' AND column_name = 'Legacy')"));
        Assert.AreEqual(1L, await ScalarAsync<long>(database, "SELECT count(*) FROM safemigrations.backups WHERE column_name = 'Legacy'"), "the contract drop was backed up");
        var drift = await app.SafemigAsync("drift", "--no-build", "--connection", connection);
        Assert.DoesNotContain("AK_products_Sku", drift.Output, "the alternate key's unique constraint is in the model");

        // A renamed property: the new column kept in step by a trigger and copied in batches while the previous release
        // writes the old one; the old column dropped by the contract.
        app.Edit("Product.cs", "public string? Notes { get; set; }", "public string? Remarks { get; set; }");
        var rename = await app.SafemigAsync("migrations", "add", "RenameNotes");
        Assert.AreEqual(0, rename.ExitCode, rename.Output);
        StringAssert.Contains(rename.Output, "renamed to Remarks by expand/contract");
        var renameBuild = await app.BuildAsync();
        Assert.AreEqual(0, renameBuild.ExitCode, renameBuild.Output);
        Assert.IsEmpty(SampleApp.Findings(renameBuild.Output).Where(f => f.Severity == "error"), renameBuild.Output);
        using (var stop = new CancellationTokenSource())
        {
            var writer = PreviousReleaseWritesAsync(database, n => $"INSERT INTO products (\"Name\", \"Notes\", \"Sku\", \"Stock\", \"Code\") VALUES ('renamed meanwhile', 'note {n}', 'r-{n}-{Guid.NewGuid():N}', 2, 'r-{Guid.NewGuid():N}')", stop.Token);
            await ApplyAsync(app, connection, "--phase", "expand");
            await ExecuteAsync(database, "UPDATE products SET \"Notes\" = 'edited by the previous release' WHERE \"Id\" = 1");
            await stop.CancelAsync();
            var (written, failed) = await writer;
            Assert.IsGreaterThan(0, written);
            Assert.AreEqual(0, failed.Count, string.Join("\n", failed));
        }

        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM products WHERE \"Remarks\" IS DISTINCT FROM \"Notes\""), "every row, old and written meanwhile, has the same value in both columns");
        Assert.AreEqual("edited by the previous release", await ScalarAsync<string>(database, "SELECT \"Remarks\" FROM products WHERE \"Id\" = 1"));
        await ExecuteAsync(database, "INSERT INTO products (\"Name\", \"Remarks\", \"Sku\", \"Stock\", \"Code\") VALUES ('new release', 'written as Remarks', 'new-1', 3, 'new-1')");
        Assert.AreEqual("written as Remarks", await ScalarAsync<string>(database, "SELECT \"Notes\" FROM products WHERE \"Sku\" = 'new-1'"), "the previous release still reads what the new one writes");
        await ApplyAsync(app, connection);
        Assert.IsFalse(await ScalarAsync<bool>(database, "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'products' AND column_name = 'Notes')"));
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_trigger WHERE tgname = 'products_sync_Remarks'"));
        Assert.AreEqual((long)Products - 1, await ScalarAsync<long>(database, "SELECT count(*) FROM products WHERE \"Remarks\" ~ '^n[0-9]+$'"), "the seeded notes live on as Remarks (but the one edited)");

        // A type change, as SM1006's remedy says: the property mapped to a new column of the new type, then generation. The
        // previous release keeps writing the int column; the trigger casts each value into the bigint one.
        app.Edit("Product.cs", "public int Stock { get; set; }", "public long Stock { get; set; }");
        app.Edit("ProductConfiguration.cs", "builder.HasIndex(p => p.Name);", "builder.HasIndex(p => p.Name);\n        builder.Property(p => p.Stock).HasColumnName(\"StockLong\");");
        var widen = await app.SafemigAsync("migrations", "add", "WidenStock");
        Assert.AreEqual(0, widen.ExitCode, widen.Output);
        StringAssert.Contains(widen.Output, "renamed to StockLong by expand/contract");
        StringAssert.Contains(File.ReadAllText(app.Migration("WidenStock")), "::bigint", "the trigger casts into the new type");
        var widenBuild = await app.BuildAsync();
        Assert.AreEqual(0, widenBuild.ExitCode, widenBuild.Output);
        Assert.IsEmpty(SampleApp.Findings(widenBuild.Output).Where(f => f.Severity == "error"), widenBuild.Output);
        using (var stop = new CancellationTokenSource())
        {
            var writer = PreviousReleaseWritesAsync(database, n => $"INSERT INTO products (\"Name\", \"Remarks\", \"Sku\", \"Stock\", \"Code\") VALUES ('widened meanwhile', NULL, 's-{n}-{Guid.NewGuid():N}', {n}, 'w-{Guid.NewGuid():N}')", stop.Token);
            await ApplyAsync(app, connection, "--phase", "expand");
            await stop.CancelAsync();
            var (written, failed) = await writer;
            Assert.IsGreaterThan(0, written);
            Assert.AreEqual(0, failed.Count, string.Join("\n", failed));
        }

        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM products WHERE \"StockLong\" IS DISTINCT FROM \"Stock\""), "every row has its stock in the bigint column");
        await ApplyAsync(app, connection);
        Assert.AreEqual("bigint", await ScalarAsync<string>(database, "SELECT data_type FROM information_schema.columns WHERE table_name = 'products' AND column_name = 'StockLong' AND is_nullable = 'NO'"));
        Assert.IsFalse(await ScalarAsync<bool>(database, "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'products' AND column_name = 'Stock')"));
        Assert.AreEqual((long)Products, await ScalarAsync<long>(database, "SELECT count(*) FROM products WHERE \"Name\" LIKE 'p%' AND \"StockLong\" = substr(\"Name\", 2)::bigint"), "the seeded values came through");

        // What has no safe form stays EF's, and both the build and safemig name the command that fixes it.
        app.Edit("ProductConfiguration.cs", "HasMaxLength(200)", "HasMaxLength(100)");
        var shorter = await app.BuildAsync();
        StringAssert.Contains(SampleApp.One(shorter.Output, "SM3001").Message, "No safe form is generated for");
        StringAssert.Contains(SampleApp.One(shorter.Output, "SM3001").Message, "dotnet new safemig-constraint -n LimitNameLength --context ShopContext --table products --constraint-name products_Name_length --expression");
        var shorten = await app.SafemigAsync("migrations", "add", "ShortenName");
        Assert.AreEqual(1, shorten.ExitCode, shorten.Output);
        var shortenFile = app.Migration("ShortenName");
        Assert.AreEqual((shortenFile, SampleApp.LineOf(shortenFile, "migrationBuilder.AlterColumn<string>(")), app.OneFromSafemig(shorten.Output, "SM1008"));
        StringAssert.Contains(shorten.Output, "Next: put the model's max length back to 200 (HasMaxLength(200)), so EF scaffolds no AlterColumn, and limit the length with a check: dotnet new safemig-constraint");
    }

    private static async Task ApplyAsync(SampleApp app, string connection, params string[] extra)
    {
        var applied = await app.SafemigAsync(["apply", "--no-build", "--connection", connection, .. extra]);
        Assert.AreEqual(0, applied.ExitCode, applied.Output);
    }

    /// <summary>The previous release's inserts, with the columns it knows, until stopped; how many worked, and the failures.</summary>
    private static async Task<(int Written, List<string> Failed)> PreviousReleaseWritesAsync(NpgsqlDataSource database, Func<int, string> insert, CancellationToken stop)
    {
        var written = 0;
        var failed = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await ExecuteAsync(database, insert(written));
                written++;
            }
            catch (PostgresException e)
            {
                failed.Add(e.SqlState + ": " + e.MessageText);
            }

            await Task.Delay(5, CancellationToken.None);
        }

        return (written, failed);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
