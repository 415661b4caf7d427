namespace SafeMigrations.Cli;

/// <summary>Something the user must fix before safemig can run (exit code 2): one line with the cause and the fix.</summary>
internal sealed class CliException(string message) : Exception(message);
