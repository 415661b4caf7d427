using Microsoft.EntityFrameworkCore;
using SafeMigrations.Runtime;
using SafeMigrations.Runtime.Fixture;

// safemigrations-fixture <context> <connection string> [rollback <target>]: applies (or reverts) the context's
// migrations with the runner; prints "applied <id>" per migration and "done"; exit 1 with the message on failure.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: fixture <context> <connection string> [rollback <target>]");
    return 2;
}

await using var context = ShopContexts.Create(args[0], args[1]);
var options = new SafeMigrationOptions
{
    FirstRetryDelay = TimeSpan.FromMilliseconds(50),
    MaxRetryDelay = TimeSpan.FromMilliseconds(500),
    Lock = new MigrationLockOptions { FirstPollInterval = TimeSpan.FromMilliseconds(20), MaxPollInterval = TimeSpan.FromMilliseconds(200) },
    Progress = new Progress(),
};
try
{
    var result = args.Length >= 4 && args[2] == "rollback"
        ? await context.Database.SafeRollbackAsync(args[3], force: true, options)
        : await context.Database.SafeMigrateAsync(options);
    Console.WriteLine($"done {result.Steps.Count}");
    return 0;
}
catch (SafeMigrationException e)
{
    Console.Error.WriteLine($"error {e.RuleId}: {e.Message}");
    return 1;
}

internal sealed class Progress : IProgress<MigrationProgress>
{
    public void Report(MigrationProgress value)
    {
        if (value.Kind == MigrationProgressKind.StatementStarted)
        {
            Console.WriteLine($"statement {value.MigrationId}");
        }
        else if (value.Kind == MigrationProgressKind.MigrationFinished)
        {
            Console.WriteLine($"applied {value.MigrationId}");
        }
    }
}
