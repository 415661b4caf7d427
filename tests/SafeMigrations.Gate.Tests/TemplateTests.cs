using System.Globalization;
using Npgsql;
using SafeMigrations.Testing;

namespace SafeMigrations.Gate.Tests;

/// <summary>
/// The dotnet new templates as a developer uses them: the pack installed from the local feed into an isolated
/// hive, every migration template instantiated into a copy of the Todo backend's data layer, built with the
/// analyzers and the build gate from the feed, applied by safemig to a PostgreSQL holding thousands of rows
/// while the previous release keeps writing, rolled back, and the contract release after it.
/// </summary>
[TestClass]
public sealed class TemplateTests
{
    private const string Context = "Todo.Backend.Data.TodoDbContext";
    private const string Baseline = "20261123235132_AddTodoDueDateIndex";
    private const int Users = 2000;
    private const int Tasks = 6000;

    [TestMethod]
    public async Task Migration_templates_build_clean_apply_to_a_populated_database_and_roll_back()
    {
        await GatePackages.EnsureAsync();
        using var hive = new TemplateHive(Context);
        await hive.InstallAsync(Path.Combine(GatePackages.Feed, $"SafeMigrations.Templates.{GatePackages.Version}.nupkg"));
        using var app = CreateTodoCopy();
        var restore = await Dotnet.RunAsync(app.Directory, ["restore"]);
        Assert.AreEqual(0, restore.ExitCode, restore.Output);

        // Release N, in the order the guides give: the steps before the model change …
        await hive.NewAsync(app, "safemig-not-null", "RequireFullName", "--table", "users", "--column", "full_name", "--backfill", "full_name = email", "--batch-size", "300");
        await hive.NewAsync(app, "safemig-index", "AddOwnerCompletedIndex", "--table", "todo_items", "--column", "owner_id, completed", "--index-name", "ix_todo_items_owner_completed");
        await hive.NewAsync(app, "safemig-constraint", "AddPriorityCheck", "--table", "todo_items", "--constraint-name", "ck_todo_items_priority", "--expression", "priority BETWEEN 1 AND 3");
        await hive.NewAsync(app, "safemig-constraint", "AddOwnerForeignKey", "--kind", "foreign-key", "--table", "todo_items", "--constraint-name", "fk_todo_items_owner_users", "--column", "owner_id", "--references-table", "users", "--on-delete", "cascade");
        await hive.NewAsync(app, "safemig-unique", "AddFullNameUnique", "--table", "users", "--column", "full_name", "--constraint-name", "uq_users_full_name");
        await hive.NewAsync(app, "safemig-unique", "AddLegacyEventsKey", "--kind", "primary-key", "--schema", "audit", "--table", "legacy_events", "--column", "id", "--constraint-name", "legacy_events_pkey");

        // … the model change the not-null and expand templates ask for, scaffolded by the real dotnet ef …
        app.Edit("Models/User.cs", "    [MaxLength(255)]\n    [Column(\"full_name\")]\n    public string? FullName { get; set; }", "    [Required]\n    [MaxLength(255)]\n    [Column(\"full_name\")]\n    public string FullName { get; set; } = string.Empty;");
        app.Edit("Models/User.cs", "    [Column(\"is_active\")]", "    [MaxLength(100)]\n    [Column(\"nickname\")]\n    public string? Nickname { get; set; }\n\n    [Column(\"is_active\")]");
        app.Edit("Models/TodoItem.cs", "    [Column(\"completed\")]", "    [MaxLength(1000)]\n    [Column(\"notes\")]\n    public string? Notes { get; set; }\n\n    [Column(\"priority_level\")]\n    public short? PriorityLevel { get; set; }\n\n    [Column(\"completed\")]");
        var scaffolded = await app.EfAsync("migrations", "add", "ReleaseModel");
        Assert.AreEqual(0, scaffolded.ExitCode, scaffolded.Output);
        RemoveEmptyStringDefault(app.Migration("ReleaseModel"));

        // … and the steps after it.
        await hive.NewAsync(app, "safemig-backfill", "BackfillNickname", "--table", "users", "--set", "nickname = split_part(email, '@', 1)", "--where", "nickname IS NULL", "--batch-size", "300");
        await hive.NewAsync(app, "safemig-not-null", "FinishFullName", "--step", "finish", "--table", "users", "--column", "full_name");
        await hive.NewAsync(app, "safemig-expand", "SyncNotes", "--table", "todo_items", "--old-column", "description", "--new-column", "notes");
        await hive.NewAsync(app, "safemig-expand", "SyncPriorityLevel", "--table", "todo_items", "--old-column", "priority", "--new-column", "priority_level", "--new-type", "smallint", "--old-type", "integer");

        var build = await app.BuildAsync();
        Assert.AreEqual(0, build.ExitCode, build.Output);
        Assert.IsEmpty(SampleApp.Findings(build.Output), "every generated migration is clean under the analyzers and the gate:\n" + build.Output);

        var connection = await SharedPostgres.CreateDatabaseAsync("templates");
        await using var database = NpgsqlDataSource.Create(connection);
        await ApplyAsync(app, connection, "--to", Baseline);
        await SeedAsync(database);
        await ExecuteAsync(database, "CREATE SCHEMA audit; CREATE TABLE audit.legacy_events (id bigint NOT NULL, payload text); INSERT INTO audit.legacy_events SELECT g, 'event ' || g FROM generate_series(1, 3000) g");

        // The previous release keeps writing the old column while the release applies.
        using var stop = new CancellationTokenSource();
        var writer = PreviousReleaseWritesAsync(database, stop.Token);
        await ApplyAsync(app, connection);
        await stop.CancelAsync();
        var written = await writer;
        Assert.IsGreaterThan(0, written, "the previous release wrote while the migrations ran");

        // NOT NULL through the validated check, after the backfill; the check is gone again.
        Assert.IsTrue(await ScalarAsync<bool>(database, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'full_name'"));
        Assert.AreEqual((long)Users / 4, await ScalarAsync<long>(database, "SELECT count(*) FROM users WHERE full_name = email"), "the NULL names were backfilled from the e-mail");
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_constraint WHERE conname = 'users_full_name_not_null'"));
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'full_name' AND column_default IS NOT NULL"), "no DEFAULT '' left behind");
        Assert.AreEqual((long)Users, await ScalarAsync<long>(database, "SELECT count(*) FROM users WHERE nickname = split_part(email, '@', 1)"), "the batched backfill filled every row");

        // Constraints validated, the unique constraint on its concurrently built index, no INVALID index anywhere.
        Assert.IsTrue(await ScalarAsync<bool>(database, "SELECT convalidated FROM pg_constraint WHERE conname = 'ck_todo_items_priority'"));
        Assert.IsTrue(await ScalarAsync<bool>(database, "SELECT convalidated FROM pg_constraint WHERE conname = 'fk_todo_items_owner_users'"));
        Assert.AreEqual("u", await ScalarAsync<string>(database, "SELECT contype::text FROM pg_constraint WHERE conname = 'uq_users_full_name'"));
        Assert.AreEqual(2L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_index WHERE indexrelid IN ('ix_todo_items_owner_completed'::regclass, 'uq_users_full_name'::regclass) AND indisvalid"));
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
        Assert.AreEqual("p", await ScalarAsync<string>(database, "SELECT contype::text FROM pg_constraint WHERE conname = 'legacy_events_pkey' AND conrelid = 'audit.legacy_events'::regclass"), "a primary key through its concurrent unique index, in another schema");

        // Expand: every row's new column equals the old one, including rows the previous release wrote during the backfill …
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM todo_items WHERE notes IS DISTINCT FROM description"));
        Assert.IsGreaterThanOrEqualTo((long)(Tasks * 9 / 10) + written, await ScalarAsync<long>(database, "SELECT count(*) FROM todo_items WHERE notes IS NOT NULL"), "the seeded descriptions and every row inserted meanwhile");

        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM todo_items WHERE priority_level IS DISTINCT FROM priority"), "the type change: every value cast to smallint");

        // … and the triggers keep them in step whichever release writes.
        await ExecuteAsync(database, "UPDATE todo_items SET priority_level = 3 WHERE id = 3");
        Assert.AreEqual(3L, await ScalarAsync<long>(database, "SELECT priority FROM todo_items WHERE id = 3"));
        await ExecuteAsync(database, "UPDATE todo_items SET notes = 'written by release N' WHERE id = 1");
        Assert.AreEqual("written by release N", await ScalarAsync<string>(database, "SELECT description FROM todo_items WHERE id = 1"));
        await ExecuteAsync(database, "UPDATE todo_items SET description = 'written by release N-1' WHERE id = 2");
        Assert.AreEqual("written by release N-1", await ScalarAsync<string>(database, "SELECT notes FROM todo_items WHERE id = 2"));
        await ExecuteAsync(database, "INSERT INTO todo_items (title, notes, completed, owner_id) VALUES ('new', 'only the new column', false, 1)");
        Assert.AreEqual("only the new column", await ScalarAsync<string>(database, "SELECT description FROM todo_items WHERE title = 'new'"));

        // Every Down undoes its Up: back to the baseline, with the rows intact.
        var rows = await ScalarAsync<long>(database, "SELECT count(*) FROM todo_items");
        await RollBackAsync(app, connection, Baseline);
        Assert.IsFalse(await ScalarAsync<bool>(database, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'full_name'"));
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_constraint WHERE conname IN ('ck_todo_items_priority', 'fk_todo_items_owner_users', 'uq_users_full_name', 'users_full_name_not_null')"));
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_class WHERE relname IN ('ix_todo_items_owner_completed', 'uq_users_full_name', 'legacy_events_pkey')"));
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'todo_items'::regclass AND attname = 'notes' AND NOT attisdropped"));
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_proc WHERE proname = 'todo_items_sync_notes'"));
        Assert.AreEqual(rows, await ScalarAsync<long>(database, "SELECT count(*) FROM todo_items"));
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"));

        // Release N again, this time through EF's own migrator (dotnet ef database update), then the contract release:
        // N+1 stopped mapping description and nickname (the DropColumns EF scaffolds deleted, as the guides say);
        // N+2 drops them with the contract templates.
        var efUpdate = await app.EfAsync("database", "update", "--no-build", "--connection", connection);
        Assert.AreEqual(0, efUpdate.ExitCode, efUpdate.Output);
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM todo_items WHERE notes IS DISTINCT FROM description OR priority_level IS DISTINCT FROM priority"));
        Assert.AreEqual("u", await ScalarAsync<string>(database, "SELECT contype::text FROM pg_constraint WHERE conname = 'uq_users_full_name'"));
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
        app.Edit("Models/TodoItem.cs", "    [MaxLength(1000)]\n    [Column(\"description\")]\n    public string? Description { get; set; }\n", string.Empty);
        app.Edit("Models/User.cs", "    [MaxLength(100)]\n    [Column(\"nickname\")]\n    public string? Nickname { get; set; }\n", string.Empty);
        var unmapped = await app.EfAsync("migrations", "add", "StopMappingOldColumns");
        Assert.AreEqual(0, unmapped.ExitCode, unmapped.Output);
        KeepColumns(app.Migration("StopMappingOldColumns"));
        await hive.NewAsync(app, "safemig-drop", "DropLegacyEvents", "--schema", "audit", "--table", "legacy_events", "--justification", "nothing has read audit.legacy_events since release 3");
        await hive.NewAsync(app, "safemig-expand", "DropDescription", "--step", "contract", "--table", "todo_items", "--old-column", "description", "--new-column", "notes", "--old-column-type", "character varying(1000)");
        await hive.NewAsync(app, "safemig-drop", "DropNickname", "--table", "users", "--column", "nickname", "--column-type", "character varying(100)");
        await hive.NewAsync(app, "safemig-index", "DropOwnerCompletedIndex", "--drop", "--table", "todo_items", "--column", "owner_id, completed", "--index-name", "ix_todo_items_owner_completed");
        build = await app.BuildAsync();
        Assert.AreEqual(0, build.ExitCode, build.Output);
        Assert.IsEmpty(SampleApp.Findings(build.Output), "the contract migrations are clean too:\n" + build.Output);

        await ExecuteAsync(database, "UPDATE users SET nickname = 'nick ' || id WHERE id <= 500");
        var contractStart = app.MigrationIds().Single(id => id.EndsWith("_StopMappingOldColumns", StringComparison.Ordinal));
        await ApplyAsync(app, connection);
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_attribute WHERE attrelid IN ('todo_items'::regclass, 'users'::regclass) AND attname IN ('description', 'nickname') AND NOT attisdropped"));
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_trigger WHERE tgname = 'todo_items_sync_notes'"));
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_class WHERE relname = 'ix_todo_items_owner_completed'"));
        Assert.IsTrue(await ScalarAsync<bool>(database, "SELECT to_regclass('audit.legacy_events') IS NULL"));
        var tableBackup = await ScalarAsync<string>(database, "SELECT backup_table FROM safemigrations.backups WHERE source_table = 'legacy_events'");
        Assert.AreEqual(3000L, await ScalarAsync<long>(database, $"SELECT count(*) FROM safemigrations_backup.\"{tableBackup}\""), "the dropped table's rows are kept in the runner's backup");
        await ExecuteAsync(database, "INSERT INTO todo_items (title, notes, completed, owner_id) VALUES ('after the contract', 'n', false, 1)");

        // Rolled back to the table drop: the columns, the trigger and the index are back, description refilled from notes.
        var tableDrop = app.MigrationIds().Single(id => id.EndsWith("_DropLegacyEvents", StringComparison.Ordinal));
        await RollBackAsync(app, connection, tableDrop);
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM todo_items WHERE notes IS DISTINCT FROM description"));
        Assert.AreEqual(1L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_trigger WHERE tgname = 'todo_items_sync_notes'"));
        Assert.IsTrue(await ScalarAsync<bool>(database, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_todo_items_owner_completed'::regclass"));
        Assert.AreEqual(1L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'nickname' AND NOT attisdropped"));

        // The table drop's Down cannot bring the table back: rolling back past it says so and changes nothing.
        var history = await ScalarAsync<long>(database, "SELECT count(*) FROM \"__EFMigrationsHistory\"");
        var refused = await app.SafemigAsync("rollback", "--no-build", "--connection", connection, "--to", contractStart, "--force");
        Assert.AreNotEqual(0, refused.ExitCode, refused.Output);
        StringAssert.Contains(refused.Output, "safemigrations_backup");
        Assert.AreEqual(history, await ScalarAsync<long>(database, "SELECT count(*) FROM \"__EFMigrationsHistory\""));
    }

    private static SampleApp CreateTodoCopy()
    {
        var app = SampleApp.CreateEmpty(EfVersions.Ef10);
        var backend = Path.Combine(RepositoryRoot.Path, "src", "Todo.Backend");
        foreach (var file in Directory.GetFiles(Path.Combine(backend, "Models"), "*.cs")
                     .Concat(Directory.GetFiles(Path.Combine(backend, "Migrations")))
                     .Append(Path.Combine(backend, "Data", "TodoDbContext.cs"))
                     .Append(Path.Combine(backend, "Data", "TodoDbContextFactory.cs")))
        {
            app.Write(Path.GetRelativePath(backend, file), File.ReadAllText(file));
        }

        app.Write("Todo.Data.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RootNamespace>Todo.Backend</RootNamespace>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.EntityFrameworkCore.Design" Version="{app.Versions.Ef}" PrivateAssets="all" />
                <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="{app.Versions.Npgsql}" />
                <PackageReference Include="SafeMigrations.Analyzers" Version="{GatePackages.Version}" PrivateAssets="all" />
                <PackageReference Include="SafeMigrations.Build" Version="{GatePackages.Version}" PrivateAssets="all" />
                <PackageReference Include="SafeMigrations.Abstractions" Version="{GatePackages.Version}" />
                <PackageReference Include="SafeMigrations.Runtime" Version="{GatePackages.Version}" />
              </ItemGroup>
            </Project>
            """);
        return app;
    }

    /// <summary>The not-null guide's hand edit: EF gives the now-required string column a DEFAULT '' nobody asked for.</summary>
    private static void RemoveEmptyStringDefault(string migration)
    {
        var text = File.ReadAllText(migration);
        var edited = System.Text.RegularExpressions.Regex.Replace(text, @"\s*defaultValue: """",", string.Empty);
        Assert.AreNotEqual(text, edited, "EF scaffolded the default the guide says to delete");
        File.WriteAllText(migration, edited);
    }

    /// <summary>Release N+1's documented hand edit: keep the unmapped columns (delete EF's DropColumn and its inverse).</summary>
    private static void KeepColumns(string migration)
    {
        var text = File.ReadAllText(migration);
        var kept = System.Text.RegularExpressions.Regex.Replace(text, @"migrationBuilder\.(DropColumn|AddColumn<string>)\([^;]*;", string.Empty);
        Assert.AreNotEqual(text, kept, "EF scaffolded the drops the guide says to delete");
        File.WriteAllText(migration, kept);
    }

    private static async Task SeedAsync(NpgsqlDataSource database)
    {
        await ExecuteAsync(database, $"""
            INSERT INTO users (email, full_name, hashed_password, is_active)
            SELECT 'user' || g || '@example.com', CASE WHEN g % 4 = 0 THEN NULL ELSE 'User ' || g END, 'hash', true
            FROM generate_series(1, {Users}) g;
            INSERT INTO todo_items (title, description, completed, priority, owner_id)
            SELECT 'task ' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'description ' || g END, g % 2 = 0, 1 + g % 3, 1 + g % {Users}
            FROM generate_series(1, {Tasks}) g;
            """);
    }

    /// <summary>Inserts and updates through the old column only, as the previous release does, until stopped.</summary>
    private static async Task<int> PreviousReleaseWritesAsync(NpgsqlDataSource database, CancellationToken stop)
    {
        var writes = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await ExecuteAsync(database, $"INSERT INTO todo_items (title, description, completed, priority, owner_id) VALUES ('written meanwhile', 'meanwhile {writes}', false, 2, 1)", stop);
                await ExecuteAsync(database, $"UPDATE todo_items SET description = 'updated meanwhile {writes}' WHERE id = {1 + (writes * 7 % Tasks)}", stop);
                writes++;
                await Task.Delay(20, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }

        return writes;
    }

    private static async Task ApplyAsync(SampleApp app, string connection, params string[] extra)
    {
        var applied = await app.SafemigAsync(["apply", "--no-build", "--connection", connection, .. extra]);
        Assert.AreEqual(0, applied.ExitCode, applied.Output);
    }

    private static async Task RollBackAsync(SampleApp app, string connection, string target)
    {
        var rolledBack = await app.SafemigAsync("rollback", "--no-build", "--connection", connection, "--to", target, "--force");
        Assert.AreEqual(0, rolledBack.ExitCode, rolledBack.Output);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource database, string sql, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }
}
