namespace SafeMigrations.Core.Rules;

/// <summary>How a finding is reported; <see cref="None"/> turns a rule off.</summary>
public enum Severity
{
    None,
    Info,
    Warning,
    Error,
}
