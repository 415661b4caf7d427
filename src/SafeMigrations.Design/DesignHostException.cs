namespace SafeMigrations.Design;

/// <summary>
/// The host cannot do its job for a reason the developer can fix (SM3004): the message says the cause
/// and the fix in one line, with no stack trace.
/// </summary>
internal sealed class DesignHostException(string message, Exception? cause = null) : Exception(message, cause);
