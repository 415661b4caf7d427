namespace SafeMigrations.Design.Tests;

[TestClass]
public sealed class RedactTests
{
    [TestMethod]
    public void A_short_password_is_hidden_where_it_stands_alone_and_leaves_the_words_that_contain_its_letters()
    {
        Redact.Remember("Host=localhost;Username=postgres;Password=pass");
        Assert.AreEqual(
            "28P01: password authentication failed for postgres:***@localhost (Password=***), \"passes\": \"***\"",
            Redact.Secrets("28P01: password authentication failed for postgres:pass@localhost (Password=pass), \"passes\": \"pass\""));
    }
}
