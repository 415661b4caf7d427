using System.CommandLine;
using SafeMigrations.Design.Protocol;
using Spectre.Console;

namespace SafeMigrations.Cli;

/// <summary>safemig check | migrations add | lock update: the build gate's checks on demand, and the files it keeps.</summary>
internal static class GateCommandGroup
{
    private static readonly Option<string?> OutputOption = new("--output", "-o") { Description = "Write the report to this file instead of the console." };
    private static readonly Option<bool> WarnOnlyOption = new("--warn-only") { Description = "Report errors as warnings; exit 0." };
    private static readonly Option<string?> OutputDirOption = new("--output-dir") { Description = "Where to write the migration (default: next to the existing ones)." };
    private static readonly Option<string[]> FillOption = new("--fill")
    {
        Description = "column=SQL: the value existing rows get (in batches) before a column becomes NOT NULL, when the model configures no default; e.g. --fill \"Sku=concat('sku-', \\\"Id\\\")\". Repeat it per column; table.column when names repeat.",
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Argument<string?> NameArgument = new("name") { Description = "The migration's name (default: derived from the changes, e.g. AddTodoItemPriority).", Arity = ArgumentArity.ZeroOrOne };

    public static IEnumerable<Command> Commands(CommandContext context)
    {
        var check = new Command("check", "Run the build gate's checks: every migration against the rules, pending model changes (SM3001), the lock file (SM3002/SM3003), previous-release compatibility (SM3005).")
        {
            SafemigCommand.FormatOption, OutputOption, WarnOnlyOption,
        };
        context.SetAction(check, (parse, token) => CheckAsync(context, parse, token));

        var add = new Command("add", "Scaffold the pending model changes with EF Core, rewritten into their safe form: concurrent indexes, NOT VALID constraints validated later, keys on concurrently built indexes, NOT NULL through validated checks, renames and drops by expand/contract.") { NameArgument, OutputDirOption, FillOption };
        context.SetAction(add, (parse, token) => AddAsync(context, parse, token));

        var lockUpdate = new Command("update", "Re-record every migration in the lock file as it is now (only for migrations no database applied yet).");
        context.SetAction(lockUpdate, (parse, token) => LockUpdateAsync(context, parse, token));

        return [check, new Command("migrations", "Scaffold migrations.") { add }, new Command("lock", "The migrations lock file.") { lockUpdate }];
    }

    private static async Task<int> CheckAsync(CommandContext context, ParseResult parse, CancellationToken token)
    {
        var options = context.Options(parse) with { WarnOnly = parse.GetValue(WarnOnlyOption) };
        var format = parse.GetValue(SafemigCommand.FormatOption)!;
        var (result, project) = await context.WithStatus(format == "text", status => new DesignHostRunner(options).RunAsync("check", host =>
        {
            host.Lock = HostInvocation.IsContinuousIntegration() ? "verify" : "update";
            host.ErrorsAsWarnings = options.WarnOnly;
        }, connection: null, status, token));
        await context.EmitAsync(format, parse.GetValue(OutputOption), result, project, options, report => report.Findings(result, options.WarnOnly));
        return HostExitCodes.Of(result, options.WarnOnly);
    }

    private static async Task<int> AddAsync(CommandContext context, ParseResult parse, CancellationToken token)
    {
        var options = context.Options(parse);
        var (result, _) = await context.WithStatus(true, status => new DesignHostRunner(options).RunAsync("add", host =>
        {
            host.MigrationName = parse.GetValue(NameArgument) is { Length: > 0 } name ? name : null;
            host.OutputDirectory = parse.GetValue(OutputDirOption) is { Length: > 0 } outputDir ? outputDir : null;
            host.Fills.AddRange(parse.GetValue(FillOption) ?? []);
        }, connection: null, status, token));
        new TextReport(context.Console, options.WorkingDirectory).Written(result);
        if (HostExitCodes.Of(result) == HostExitCodes.UsageOrLoadError)
        {
            return HostExitCodes.UsageOrLoadError;
        }

        // Judge what was written, as the next build will: the new files must be compiled first, even under --no-build.
        context.Console.WriteLine();
        var checkOptions = options with { NoBuild = false };
        var (checkResult, _) = await context.WithStatus(true, status => new DesignHostRunner(checkOptions).RunAsync("check", host => host.Lock = "off", connection: null, status, token));
        new TextReport(context.Console, options.WorkingDirectory).Findings(checkResult, warnOnly: false);

        // The exit code is about what this command wrote (and the model): errors in older migrations are shown, and
        // said to fail the next build, but do not fail an add that did its job.
        var older = InOlderMigrations(result, checkResult);
        if (older.Count > 0)
        {
            context.Console.MarkupLine($"[yellow]{older.Count} error(s) above are in migrations this command did not write ({Spectre.Console.Markup.Escape(string.Join(", ", older.Select(f => f.MigrationId).Distinct()))}): the next build fails on them until they are fixed or suppressed.[/]");
            return HostExitCodes.Of(checkResult with { Findings = checkResult.Findings.Except(older).ToList() });
        }

        return HostExitCodes.Of(checkResult);
    }

    /// <summary>The errors the check after an add found in migrations that add did not write (none when it wrote nothing).</summary>
    internal static IReadOnlyList<FindingOutput> InOlderMigrations(HostOutput added, HostOutput check)
    {
        var written = added.Contexts.SelectMany(c => c.WrittenFiles)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) && !f.EndsWith(".Designer.cs", StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
        return written.Count == 0 ? []
            : check.Findings.Where(f => f.Severity == Core.Rules.Severity.Error && !string.IsNullOrEmpty(f.MigrationId) && !written.Contains(f.MigrationId)).ToList();
    }

    private static async Task<int> LockUpdateAsync(CommandContext context, ParseResult parse, CancellationToken token)
    {
        var options = context.Options(parse);
        var (result, _) = await context.WithStatus(true, status => new DesignHostRunner(options).RunAsync("lock-update", null, connection: null, status, token));
        new TextReport(context.Console, options.WorkingDirectory).Written(result);
        return HostExitCodes.Of(result);
    }
}
