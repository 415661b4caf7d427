using System.Text.Json;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;
using SafeMigrations.Design.Protocol;

namespace SafeMigrations.Design;

/// <summary>Writes the report: canonical MSBuild lines (file(line,col): error SMxxxx: …), JSON for the CLI, or plain text.</summary>
internal static class ReportWriter
{
    public static void Write(HostReport report, HostArguments arguments, TextWriter output)
    {
        switch (arguments.Format)
        {
            case OutputFormat.Json:
                output.WriteLine(Redact.Secrets(JsonSerializer.Serialize(ToOutput(report), HostJson.Options)));
                break;
            default:
                WriteLines(report, arguments, output);
                break;
        }
    }

    public static HostOutput ToOutput(HostReport report) => ToOutputCore(report) with { Runs = report.Runs };

    private static HostOutput ToOutputCore(HostReport report) => new(
        report.Command,
        report.EfCoreVersion,
        report.Contexts.Select(c => new ContextOutput(
            c.Name,
            c.FullName,
            c.Provider,
            c.IsPostgres,
            c.Migrations.Select(m => new MigrationOutput(
                m.Id,
                m.Location?.FilePath,
                m.Location?.Line,
                m.Checksum,
                m.Applied,
                m.Phase.ToString(),
                m.Commands.Select(command => new CommandOutput(
                    command.Sql,
                    command.TransactionSuppressed,
                    command.Statements.Select(s => new StatementOutput(
                        s.Sql, s.Change.Describe(), s.Lock.SqlName(), s.Lock.Effect(), s.Table?.ToString(), s.Lock.BlocksWrites(), s.Lock.BlocksReads(),
                        NewTable: s.Table is { } table && command.NewTables.Contains(table))
                    {
                        // How big the table it blocks is, from the planned database: the size makes the lock's cost concrete.
                        LiveSize = s.Table is { } locked && !command.NewTables.Contains(locked) && s.Lock.BlocksWrites() && c.LiveTables.TryGetValue(locked, out var live)
                            ? Core.Verify.Impact.Sizes(live.Rows, live.Bytes)
                            : null,
                    }).ToList())).ToList())).ToList(),
            c.PendingChanges.Select(p => new PendingChangeOutput(
                p.Change.Describe(), p.Worst, p.Findings.Where(f => f.Severity >= Severity.Warning).Select(f => f.RuleId).Distinct().ToList())).ToList(),
            c.LockFile,
            c.LockState.ToString(),
            c.WrittenFiles,
            c.Notes,
            c.DatabaseError)).ToList(),
        report.AllFindings.Select(f => new FindingOutput(
            f.Finding.RuleId,
            f.Finding.Severity,
            f.Finding.Message,
            f.Finding.Location?.FilePath,
            f.Finding.Location?.Line,
            f.Finding.Location?.Column,
            string.IsNullOrEmpty(f.Finding.MigrationId) ? null : f.Finding.MigrationId,
            f.Context?.Name,
            RuleIds.HelpUri(f.Finding.RuleId) is { Length: > 0 } uri ? uri : null)).ToList());

    private static void WriteLines(HostReport report, HostArguments arguments, TextWriter output)
    {
        foreach (var context in report.Contexts)
        {
            foreach (var note in context.Notes)
            {
                output.WriteLine("SafeMigrations: " + Redact.Secrets(note));
            }

            foreach (var file in context.WrittenFiles)
            {
                output.WriteLine($"SafeMigrations: wrote {file}");
            }
        }

        foreach (var (_, finding) in report.AllFindings)
        {
            var severity = finding.Severity == Severity.Error && arguments.ErrorsAsWarnings ? Severity.Warning : finding.Severity;
            var origin = finding.Location is { FilePath: { } file } at ? $"{file}({at.Line},{at.Column})" : arguments.Assembly;
            var category = severity switch
            {
                Severity.Error => "error",
                Severity.Warning => "warning",
                _ => "info",
            };
            output.WriteLine(Redact.Secrets($"{origin}: {category} {finding.RuleId}: {OneLine(finding.Message)}"));
        }
    }

    private static string OneLine(string text) => text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
