namespace SafeMigrations.Cli.Tests;

/// <summary>Which database a command works on: --connection, else the environment, else (apply, status, plan, overview) a throwaway one.</summary>
[TestClass]
public sealed class DatabaseTargetTests
{
    private const string Given = "Host=db.internal;Database=shop;Username=app;Password=s3cret";
    private const string FromEnvironment = "Host=env.internal;Database=shop;Username=app";

    [TestMethod]
    public async Task The_option_beats_the_environment_and_the_description_never_shows_the_password()
    {
        await using var target = DatabaseTarget.Given("drift", Given, Environment(FromEnvironment));

        Assert.AreEqual(Given, target.ConnectionString);
        Assert.IsFalse(target.IsThrowaway);
        StringAssert.Contains(target.Description, "db.internal");
        Assert.IsFalse(target.Description.Contains("s3cret", StringComparison.Ordinal), target.Description);
    }

    [TestMethod]
    public async Task Without_the_option_the_environment_variable_is_the_database()
    {
        await using var target = await DatabaseTarget.GivenOrThrowawayAsync("  ", _ => Assert.Fail("no throwaway database is started"), CancellationToken.None, Environment(FromEnvironment));

        Assert.AreEqual(FromEnvironment, target.ConnectionString);
        Assert.IsFalse(target.IsThrowaway);
    }

    [TestMethod]
    public void A_command_that_needs_a_real_database_says_how_to_give_it()
    {
        var error = Assert.ThrowsExactly<CliException>(() => DatabaseTarget.Given("rollback", null, Environment(null)));

        StringAssert.StartsWith(error.Message, "rollback needs a database");
        StringAssert.Contains(error.Message, "--connection");
        StringAssert.Contains(error.Message, "SAFEMIGRATIONS_CONNECTION_STRING");
    }

    private static Func<string, string?> Environment(string? connection) =>
        name => name == "SAFEMIGRATIONS_CONNECTION_STRING" ? connection : null;
}
