using Spectre.Console.Testing;

namespace SafeMigrations.Cli.Tests;

/// <summary>safemig's command line as a user meets it: help per command, and explain.</summary>
[TestClass]
public sealed class CommandLineTests
{
    [TestMethod]
    public async Task Each_command_says_what_it_does_with_the_connection_and_whether_it_falls_back_to_a_throwaway_database()
    {
        var apply = await HelpAsync("apply");
        var drift = await HelpAsync("drift");
        var rollback = await HelpAsync("rollback");

        StringAssert.Contains(apply, "The database to migrate");
        StringAssert.Contains(apply, "throwaway embedded PostgreSQL");
        StringAssert.Contains(drift, "The live database to compare with the model");
        Assert.IsFalse(drift.Contains("throwaway", StringComparison.Ordinal), drift);
        StringAssert.Contains(rollback, "The database whose migrations to revert");
        StringAssert.Contains(rollback, "required when that is not set");
    }

    [TestMethod]
    public async Task Explain_prints_the_rule_page_shipped_in_the_tool()
    {
        var (code, text, _) = await RunAsync("explain", "sm1001");

        Assert.AreEqual(0, code);
        StringAssert.Contains(text, "SM1001: Create indexes on existing tables concurrently");
        StringAssert.Contains(text, "Safe recipe");
        StringAssert.Contains(text, "migrationBuilder.CreateIndex(", "code blocks are printed without their fences");
        Assert.IsFalse(text.Contains("```", StringComparison.Ordinal), text);
        Assert.IsFalse(text.Contains("](../", StringComparison.Ordinal), "a link into the docs is only its text in a terminal");
    }

    [TestMethod]
    public async Task Explain_without_an_id_lists_the_rules_and_an_unknown_id_is_one_error_line()
    {
        var (code, list, _) = await RunAsync("explain");
        Assert.AreEqual(0, code);
        StringAssert.Contains(list, "SM1001");
        StringAssert.Contains(list, "SM4010");

        var (unknown, _, error) = await RunAsync("explain", "SM9999");
        Assert.AreEqual(2, unknown);
        StringAssert.StartsWith(error, "error: No rule SM9999");
    }

    private static async Task<string> HelpAsync(string command)
    {
        var (code, _, _, output) = await RunWithOutputAsync(command, "--help");
        Assert.AreEqual(0, code);
        return output;
    }

    private static async Task<(int Code, string Console, string Error)> RunAsync(params string[] args)
    {
        var (code, console, error, _) = await RunWithOutputAsync(args);
        return (code, console, error);
    }

    private static async Task<(int Code, string Console, string Error, string Output)> RunWithOutputAsync(params string[] args)
    {
        var console = new TestConsole().Width(200);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SafemigCommand.RunAsync(args, console, output, error);
        return (code, console.Output, error.ToString(), output.ToString());
    }
}
