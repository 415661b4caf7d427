using SafeMigrations.Design.Protocol;

namespace SafeMigrations.Design.Tests;

/// <summary>The host's command line: what a caller writes is what the host reads, option for option.</summary>
[TestClass]
public sealed class HostInvocationTests
{
    [TestMethod]
    public void Every_option_a_caller_writes_reads_back_the_same()
    {
        var written = new HostInvocation
        {
            Command = "apply",
            Channel = "/tmp/answer channel",
            Assembly = "/app/bin/App.dll",
            StartupAssembly = "/app/bin/Web.dll",
            ProjectDirectory = "/app",
            RootNamespace = "App",
            Format = "json",
            Baseline = "20260101000000_Initial",
            TargetPostgres = "16",
            Lock = "verify",
            CheckDown = true,
            ErrorsAsWarnings = true,
            SkipPending = true,
            OnlyIfPending = true,
            GenerationSkipped = true,
            MigrationName = "AddIndex",
            OutputDirectory = "Data/Migrations",
            To = "AddIndex",
            Phase = "expand",
            LockTimeout = "250",
            Retries = "3",
            Migration = "20260101000000_Drop",
            Limit = "10",
            DryRun = true,
            AllowOutOfOrder = true,
            AcceptChecksums = true,
            Force = true,
        };
        written.Contexts.AddRange(["OrdersContext", "Audit.AuditContext"]);
        written.Severities.AddRange(["SM1020=none", "SM3001=warning"]);
        written.AppArguments.AddRange(["--environment", "Development"]);
        written.Fills.AddRange(["Sku='none'", "products.Code=concat('c-', \"Id\")"]);

        var read = HostInvocation.Parse(written.ToArguments());

        Assert.AreEqual(System.Text.Json.JsonSerializer.Serialize(written), System.Text.Json.JsonSerializer.Serialize(read));
    }

    [TestMethod]
    public void The_host_reads_it_into_checked_options_and_says_what_is_wrong()
    {
        var arguments = HostArguments.Parse(["check", "--assembly", "/app/App.dll", "--severity", "SM1020=none", "--target-postgres", "16", "--lock", "verify"]);

        Assert.AreEqual(Core.Rules.Severity.None, arguments.Analysis.Severities["SM1020"]);
        Assert.AreEqual(16, arguments.Analysis.TargetPostgresVersion);
        Assert.AreEqual(Core.Gate.LockMode.Verify, arguments.Lock);
        StringAssert.Contains(Assert.ThrowsExactly<UsageException>(() => HostArguments.Parse(["check"])).Message, "--assembly");
        StringAssert.Contains(Assert.ThrowsExactly<UsageException>(() => HostArguments.Parse(["check", "--assembly", "a.dll", "--lock", "sometimes"])).Message, "expected update, verify");
        StringAssert.Contains(Assert.ThrowsExactly<UsageException>(() => HostArguments.Parse(["check", "--assembly", "a.dll", "--colour"])).Message, "Unexpected argument '--colour'");
        StringAssert.Contains(Assert.ThrowsExactly<UsageException>(() => HostArguments.Parse(["check", "--assembly"])).Message, "needs a value");
        Assert.AreEqual("concat('c-', \"Id\")", HostArguments.Parse(["add", "--assembly", "a.dll", "--fill", " products.Code = concat('c-', \"Id\")"]).Fills["products.Code"]);
        StringAssert.Contains(Assert.ThrowsExactly<UsageException>(() => HostArguments.Parse(["add", "--assembly", "a.dll", "--fill", "Code"])).Message, "expected column=SQL");
    }

    [TestMethod]
    public void CI_is_any_of_the_usual_variables_set_to_true()
    {
        Assert.IsTrue(HostInvocation.IsContinuousIntegration(name => name == "TF_BUILD" ? "True" : null));
        Assert.IsTrue(HostInvocation.IsContinuousIntegration(name => name == "ContinuousIntegrationBuild" ? "true" : null));
        Assert.IsFalse(HostInvocation.IsContinuousIntegration(name => name == "CI" ? "false" : null));
        Assert.IsFalse(HostInvocation.IsContinuousIntegration(_ => null));
    }
}
