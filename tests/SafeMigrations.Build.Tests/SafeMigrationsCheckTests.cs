using Microsoft.Build.Framework;

namespace SafeMigrations.Build.Tests;

[TestClass]
public sealed class SafeMigrationsCheckTests
{
    private static readonly string Output = Path.Combine(Path.GetTempPath(), "safemigrations-task-tests", "bin");

    [TestMethod]
    public void The_command_line_runs_the_host_in_the_apps_dependency_context()
    {
        var task = Task(new FakeBuildEngine());
        task.Contexts = "TodoDbContext;Billing.BillingContext";
        task.ProbingPaths = "/home/me/.nuget/packages/;/usr/share/nuget fallback/";
        task.Baseline = "20240101000000_Initial";
        task.TargetPostgresVersion = "16";
        task.Severities = "SM1020=none; SM3001=warning";
        task.WarnOnly = true;
        task.ContinuousIntegrationBuild = true;

        var line = task.CommandLine();

        StringAssert.StartsWith(line, $"exec --depsfile {Path.Combine(Output, "App.deps.json")} --runtimeconfig {Path.Combine(Output, "App.runtimeconfig.json")} ");
        StringAssert.Contains(line, "--additionalprobingpath /home/me/.nuget/packages --additionalprobingpath \"/usr/share/nuget fallback\"");
        StringAssert.Contains(line, $"{task.HostPath} check --assembly {task.Assembly} --project-dir /src/App --format msbuild");
        StringAssert.Contains(line, "--context TodoDbContext --context Billing.BillingContext");
        StringAssert.Contains(line, "--baseline 20240101000000_Initial --target-postgres 16 --severity SM1020=none --severity SM3001=warning");
        StringAssert.Contains(line, "--errors-as-warnings");
        StringAssert.EndsWith(line, "--lock verify");
        Assert.IsFalse(line.Contains("--no-pending", StringComparison.Ordinal));
        Assert.IsFalse(line.Contains("--startup-assembly", StringComparison.Ordinal), "the app is its own startup assembly");
    }

    [TestMethod]
    public void Generate_on_build_asks_the_host_to_add_only_when_something_is_pending()
    {
        var task = Task(new FakeBuildEngine());
        task.Command = "add";
        task.OnlyIfPending = true;
        task.MigrationName = "AddPriority";
        task.LockFile = false;
        task.StartupAssembly = Path.Combine(Output, "Web.dll");

        var line = task.CommandLine();

        StringAssert.Contains(line, $"{task.HostPath} add --assembly ");
        StringAssert.Contains(line, $"--startup-assembly {task.StartupAssembly}");
        StringAssert.Contains(line, "--if-pending --name AddPriority");
        StringAssert.Contains(line, "--lock off");
    }

    [TestMethod]
    public void In_CI_the_lock_file_is_only_verified_and_generation_writes_nothing()
    {
        var local = Task(new FakeBuildEngine());
        local.GenerateOnBuild = true;
        var ci = Task(new FakeBuildEngine());
        ci.GenerateOnBuild = true;
        ci.EnvironmentVariable = name => name == "GITHUB_ACTIONS" ? "true" : null;
        var generating = Task(new FakeBuildEngine());
        generating.Command = "add";
        generating.ContinuousIntegrationBuild = true;

        Assert.AreEqual("update", local.Invocation().Lock);
        Assert.IsFalse(local.Invocation().GenerationSkipped);
        Assert.AreEqual("verify", ci.Invocation().Lock);
        Assert.IsTrue(ci.Invocation().GenerationSkipped, "SM3001 then says what to run locally");
        Assert.IsTrue(generating.Execute(), "generation in CI is a no-op, not a failure");
        Assert.IsEmpty(generating.WrittenFiles);
        Assert.IsTrue(((FakeBuildEngine)generating.BuildEngine).Messages.Any(m => m.Message!.Contains("writes nothing in CI", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Canonical_lines_become_errors_and_warnings_with_file_line_and_code()
    {
        var engine = new FakeBuildEngine();
        var task = Task(engine);

        task.Process("/src/App/Migrations/20260101_AddIndex.cs(12,13): error SM1001: Index \"IX_a\" on existing table \"t\" is built without CONCURRENTLY.", MessageImportance.Low);
        task.Process("/src/App/Migrations/20260101_AddIndex.cs(20,9): warning SM1032: Column \"c\" gets 0.", MessageImportance.Low);
        task.Process("/src/App/bin/App.dll: error SM3004: App does not reference Microsoft.EntityFrameworkCore.Design.", MessageImportance.Low);

        var error = engine.Errors[0];
        Assert.AreEqual("SM1001", error.Code);
        Assert.AreEqual("/src/App/Migrations/20260101_AddIndex.cs", error.File);
        Assert.AreEqual(12, error.LineNumber);
        Assert.AreEqual(13, error.ColumnNumber);
        StringAssert.StartsWith(error.Message, "Index \"IX_a\"");
        Assert.AreEqual("SM1032", engine.Warnings.Single().Code);
        Assert.AreEqual(20, engine.Warnings.Single().LineNumber);
        Assert.AreEqual("SM3004", engine.Errors[1].Code);
        Assert.AreEqual("/src/App/bin/App.dll", engine.Errors[1].File);
    }

    [TestMethod]
    public void Notes_are_messages_and_written_files_are_outputs()
    {
        var engine = new FakeBuildEngine();
        var task = Task(engine);

        task.Process("SafeMigrations: wrote /src/App/Migrations/TodoDbContext.migrations.lock", MessageImportance.Low);
        task.Process("SafeMigrations: TodoDbContext uses Microsoft.EntityFrameworkCore.SqlServer, not PostgreSQL: the PostgreSQL rules are skipped.", MessageImportance.Low);
        task.Process("/src/App/Migrations/X.cs(3,1): info SM1024: Primary key is integer.", MessageImportance.Low);

        Assert.IsEmpty(engine.Errors);
        Assert.IsEmpty(engine.Warnings);
        Assert.AreEqual("/src/App/Migrations/TodoDbContext.migrations.lock", task.WrittenFiles.Single().ItemSpec);
        Assert.IsTrue(engine.Messages.Any(m => m.Importance == MessageImportance.High && m.Message!.Contains("PostgreSQL rules are skipped", StringComparison.Ordinal)));
        Assert.IsTrue(engine.Messages.Any(m => m.Message!.Contains("info SM1024", StringComparison.Ordinal)), "information stays a message");
    }

    [TestMethod]
    public void A_netstandard_or_old_project_gets_one_SM3004_line_and_no_host_run()
    {
        foreach (var (identifier, version, expected) in new[]
                 {
                     (".NETStandard", "v2.0", "targets .NETStandard v2.0"),
                     (".NETFramework", "v4.8", "targets .NETFramework v4.8"),
                     (".NETCoreApp", "v7.0", "supports .NET 8 and later"),
                 })
        {
            var engine = new FakeBuildEngine();
            var task = Task(engine);
            task.TargetFrameworkIdentifier = identifier;
            task.TargetFrameworkVersion = version;

            Assert.IsFalse(task.Execute());

            var error = engine.Errors.Single();
            Assert.AreEqual("SM3004", error.Code);
            StringAssert.Contains(error.Message, expected);
        }
    }

    [TestMethod]
    public void Missing_build_output_is_SM3004_naming_the_file()
    {
        var engine = new FakeBuildEngine();
        var task = Task(engine);
        task.TargetFrameworkIdentifier = ".NETCoreApp";
        task.TargetFrameworkVersion = "v10.0";

        Assert.IsFalse(task.Execute());

        StringAssert.Contains(engine.Errors.Single().Message, "App.dll");
        StringAssert.Contains(engine.Errors.Single().Message, "Build the project");
    }

    [TestMethod]
    public void The_answer_comes_from_the_channel_and_the_apps_output_never_becomes_an_error()
    {
        // A stand-in for dotnet running the host: the app logs (on stdout and stderr) lines that look like findings;
        // the host's answer goes to the file given with --channel.
        var engine = new FakeBuildEngine();
        var task = RunnableTask(engine, """
            echo "TodoApp starting: error SM9999: printed by the app's startup"
            echo "fail: Microsoft.EntityFrameworkCore.Database.Command[20102] error SM1001: logged by the app" >&2
            echo "/src/App/Migrations/X.cs(3,13): error SM1001: Index built without CONCURRENTLY." >> "$channel"
            exit 1
            """);

        Assert.IsFalse(task.Execute());

        var error = engine.Errors.Single();
        Assert.AreEqual("SM1001", error.Code);
        Assert.AreEqual("/src/App/Migrations/X.cs", error.File);
        Assert.IsEmpty(engine.Warnings);
        Assert.IsTrue(engine.Messages.Any(m => m.Importance == MessageImportance.Low && m.Message == "TodoApp starting: error SM9999: printed by the app's startup"), "stdout passed through unchanged");
        Assert.IsTrue(engine.Messages.Any(m => m.Importance == MessageImportance.Low && m.Message!.StartsWith("fail: Microsoft.EntityFrameworkCore", StringComparison.Ordinal)), "stderr passed through unchanged");
        Assert.IsFalse(File.Exists(task.ChannelFile), "the channel file is removed");
    }

    [TestMethod]
    public void A_host_that_ends_without_an_answer_is_one_SM3004_with_what_the_app_printed_last()
    {
        var engine = new FakeBuildEngine();
        var task = RunnableTask(engine, """
            echo "Unhandled exception. System.InvalidOperationException: the app's Main threw"
            exit 134
            """);

        Assert.IsFalse(task.Execute());

        var error = engine.Errors.Single();
        Assert.AreEqual("SM3004", error.Code);
        StringAssert.Contains(error.Message, "exit code 134");
        StringAssert.Contains(error.Message, "the app's Main threw");
    }

    /// <summary>A task whose "dotnet" is a shell script (these two tests need a POSIX shell): it finds --channel in its arguments, then runs <paramref name="body"/>.</summary>
    private static SafeMigrationsCheck RunnableTask(FakeBuildEngine engine, string body)
    {
        var folder = Directory.CreateTempSubdirectory("safemigrations-task-").FullName;
        var task = new SafeMigrationsCheck
        {
            BuildEngine = engine,
            EnvironmentVariable = _ => null,
            HostPath = Path.Combine(folder, "SafeMigrations.Design.dll"),
            Assembly = Path.Combine(folder, "App.dll"),
            DepsFile = Path.Combine(folder, "App.deps.json"),
            RuntimeConfig = Path.Combine(folder, "App.runtimeconfig.json"),
            ProjectDirectory = folder,
            DotnetHost = Path.Combine(folder, "dotnet.sh"),
        };
        foreach (var file in new[] { task.HostPath, task.Assembly, task.DepsFile, task.RuntimeConfig })
        {
            File.WriteAllText(file, string.Empty);
        }

        File.WriteAllText(task.DotnetHost, "#!/bin/sh\nwhile [ $# -gt 0 ]; do if [ \"$1\" = --channel ]; then channel=\"$2\"; fi; shift; done\n" + body.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(task.DotnetHost, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return task;
    }

    private static SafeMigrationsCheck Task(FakeBuildEngine engine) => new()
    {
        BuildEngine = engine,
        EnvironmentVariable = _ => null, // not in CI, whatever runs the tests
        HostPath = Path.Combine(Output, "tools", "SafeMigrations.Design.dll"),
        Assembly = Path.Combine(Output, "App.dll"),
        DepsFile = Path.Combine(Output, "App.deps.json"),
        RuntimeConfig = Path.Combine(Output, "App.runtimeconfig.json"),
        ProjectDirectory = "/src/App/",
    };
}
