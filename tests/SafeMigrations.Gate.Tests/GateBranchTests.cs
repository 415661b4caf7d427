namespace SafeMigrations.Gate.Tests;

/// <summary>
/// Two branches that each add a migration: the lock file makes git report the fork, the gate names the
/// migration to re-create, and SM3002's recipe (run here as written) brings the history back in line.
/// </summary>
[TestClass]
public sealed class GateBranchTests
{
    [TestMethod]
    public async Task Migrations_added_on_two_branches_conflict_in_the_lock_file_and_SM3002_recipe_makes_the_history_linear()
    {
        await GatePackages.EnsureAsync();
        using var app = SampleApp.Create(EfVersions.Ef10);
        app.Write(".gitignore", "bin/\nobj/\n");
        await GitAsync(app, "init", "-q", "-b", "main");
        Assert.AreEqual(0, (await app.SafemigAsync("migrations", "add", "Initial")).ExitCode);
        await BuildCleanAsync(app);
        await CommitAsync(app, "initial");

        // A feature branch adds a migration first ...
        await GitAsync(app, "checkout", "-q", "-b", "supplier-phone");
        app.Edit("Product.cs", "public class Supplier\n{\n", "public class Supplier\n{\n    public string? Phone { get; set; }\n\n");
        Assert.AreEqual(0, (await app.SafemigAsync("migrations", "add", "AddSupplierPhone")).ExitCode);
        await BuildCleanAsync(app);
        await CommitAsync(app, "supplier phone");

        // ... main adds one later and is released with it.
        await GitAsync(app, "checkout", "-q", "main");
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // migration ids have one-second resolution
        app.Edit("Product.cs", "public class Product\n{\n", "public class Product\n{\n    public string? Sku { get; set; }\n\n");
        Assert.AreEqual(0, (await app.SafemigAsync("migrations", "add", "AddProductSku")).ExitCode);
        await BuildCleanAsync(app);
        await CommitAsync(app, "product sku");

        // Merging the branch: the lock file conflicts in git even where the code merges cleanly.
        var merge = await GitAsync(app, expectSuccess: false, ["merge", "--no-edit", "supplier-phone"]);
        Assert.AreNotEqual(0, merge.ExitCode, merge.Output);
        var conflicted = await GitAsync(app, "diff", "--name-only", "--diff-filter=U");
        StringAssert.Contains(conflicted.Output, "Migrations/ShopContext.migrations.lock");
        var markers = await app.BuildAsync();
        Assert.AreNotEqual(0, markers.ExitCode, markers.Output);
        var forked = SampleApp.One(markers.Output, "SM3002");
        Assert.AreEqual(app.LockFile, forked.File);
        StringAssert.Contains(forked.Message, "merge conflict markers");
        StringAssert.Contains(forked.Message, "AddSupplierPhone");
        StringAssert.Contains(forked.Message, "AddProductSku");

        // Recipe step 1-2: keep main's side, build: the branch's migration sorts before a recorded one.
        await GitAsync(app, "checkout", "--ours", "Migrations/ShopContext.migrations.lock");
        var interleaved = await app.BuildAsync();
        Assert.AreNotEqual(0, interleaved.ExitCode, interleaved.Output);
        var early = SampleApp.One(interleaved.Output, "SM3002");
        StringAssert.Contains(early.Message, "AddSupplierPhone");
        StringAssert.Contains(early.Message, "sorts before");

        // Step 3: re-create it so it sorts last (its files deleted, main's snapshot restored, added again).
        var branchMigration = app.Migration("AddSupplierPhone");
        File.Delete(branchMigration);
        File.Delete(Path.ChangeExtension(branchMigration, ".Designer.cs"));
        await GitAsync(app, "checkout", "main", "--", "Migrations/ShopContextModelSnapshot.cs");
        Assert.AreEqual(0, (await app.SafemigAsync("migrations", "add", "AddSupplierPhone")).ExitCode);

        // Step 4: the build records it after main's migration; the history is linear again.
        await BuildCleanAsync(app);
        var ids = app.MigrationIds();
        CollectionAssert.AreEqual(new[] { "Initial", "AddProductSku", "AddSupplierPhone" }, ids.Select(id => id[15..]).ToArray());
        var recorded = File.ReadAllLines(app.LockFile).Where(l => l.Contains(" h1:", StringComparison.Ordinal) && !l.StartsWith("sum ", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]).ToArray();
        CollectionAssert.AreEqual(ids.ToArray(), recorded);
    }

    private static async Task BuildCleanAsync(SampleApp app)
    {
        var build = await app.BuildAsync();
        Assert.AreEqual(0, build.ExitCode, build.Output);
    }

    private static async Task CommitAsync(SampleApp app, string message)
    {
        await GitAsync(app, "add", "-A");
        await GitAsync(app, "commit", "-q", "-m", message);
    }

    private static async Task<(int ExitCode, string Output)> GitAsync(SampleApp app, params string[] arguments) =>
        await GitAsync(app, expectSuccess: true, arguments);

    private static async Task<(int ExitCode, string Output)> GitAsync(SampleApp app, bool expectSuccess, string[] arguments)
    {
        var environment = new Dictionary<string, string?>
        {
            ["GIT_AUTHOR_NAME"] = "Test",
            ["GIT_AUTHOR_EMAIL"] = "test@example.com",
            ["GIT_COMMITTER_NAME"] = "Test",
            ["GIT_COMMITTER_EMAIL"] = "test@example.com",
        };
        var result = await Dotnet.RunProgramAsync("git", app.Directory, arguments, environment);
        if (expectSuccess)
        {
            Assert.AreEqual(0, result.ExitCode, $"git {string.Join(' ', arguments)}\n{result.Output}");
        }

        return result;
    }
}
