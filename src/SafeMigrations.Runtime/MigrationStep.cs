namespace SafeMigrations.Runtime;

/// <summary>
/// A unit that commits on its own: a run of commands in one transaction, or one command that must run
/// outside any (CREATE INDEX CONCURRENTLY). A failed step leaves the database as before the step.
/// </summary>
internal sealed record MigrationStep(IReadOnlyList<(int Ordinal, RunnerCommand Command)> Commands, bool InTransaction)
{
    public static IReadOnlyList<MigrationStep> Split(IReadOnlyList<RunnerCommand> commands)
    {
        var steps = new List<MigrationStep>();
        var current = new List<(int, RunnerCommand)>();
        for (var i = 0; i < commands.Count; i++)
        {
            if (commands[i].InTransaction)
            {
                current.Add((i, commands[i]));
                continue;
            }

            if (current.Count > 0)
            {
                steps.Add(new MigrationStep(current, InTransaction: true));
                current = [];
            }

            steps.Add(new MigrationStep([(i, commands[i])], InTransaction: false));
        }

        if (current.Count > 0)
        {
            steps.Add(new MigrationStep(current, InTransaction: true));
        }

        return steps;
    }
}
