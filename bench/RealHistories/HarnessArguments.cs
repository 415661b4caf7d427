namespace RealHistories;

/// <summary>The command line: one migrations folder per history, and where to write the report, the findings and the generated SQL.</summary>
internal sealed record HarnessArguments(IReadOnlyList<string> Folders, string? ReportPath, string? DetailsPath, string? SqlPath)
{
    public const string Usage =
        "usage: dotnet run --project bench/RealHistories -c Release -- <migrations-folder> [<migrations-folder> ...] [--out <report.md>] [--details <findings.tsv>] [--sql <folder>]";

    /// <summary>The arguments, or why they cannot be used.</summary>
    public static (HarnessArguments? Arguments, string? Error) Parse(IReadOnlyList<string> args)
    {
        var folders = new List<string>();
        string? report = null, details = null, sql = null;
        for (var i = 0; i < args.Count; i++)
        {
            var argument = args[i];
            if (argument is "--out" or "--details" or "--sql")
            {
                if (i + 1 >= args.Count)
                {
                    return (null, $"{argument} needs a path");
                }

                var value = Path.GetFullPath(args[++i]);
                switch (argument)
                {
                    case "--out":
                        report = value;
                        break;
                    case "--details":
                        details = value;
                        break;
                    default:
                        sql = value;
                        break;
                }
            }
            else if (argument.StartsWith("--", StringComparison.Ordinal))
            {
                return (null, $"unknown option {argument}");
            }
            else
            {
                folders.Add(Path.GetFullPath(argument));
            }
        }

        return folders.Count == 0 ? (null, "no migrations folder given") : (new HarnessArguments(folders, report, details, sql), null);
    }
}
