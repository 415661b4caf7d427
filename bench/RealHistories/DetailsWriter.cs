using System.Text;

namespace RealHistories;

/// <summary>Every finding of every tool as one TSV row, for triage by hand; files dropped and SQL not generated are rows too.</summary>
internal static class DetailsWriter
{
    public static void Write(string path, IEnumerable<HistoryResult> results)
    {
        var text = new StringBuilder("history\ttool\tmigration\trule\tseverity\tlocation\tmessage\n");
        foreach (var result in results)
        {
            foreach (var dropped in result.Dropped)
            {
                Row(text, result, "harness", "(file)", "file-dropped", "error", dropped.RelativePath, dropped.FirstError);
            }

            foreach (var failed in result.Sql.Where(m => !m.Generated))
            {
                Row(text, result, "harness", failed.Id, "sql-not-generated", "error", failed.SourceFile, failed.Error!);
            }

            foreach (var finding in result.Findings.OrderBy(f => f.Tool).ThenBy(f => f.MigrationId, StringComparer.Ordinal).ThenBy(f => f.Rule, StringComparer.Ordinal))
            {
                Row(text, result, ReportWriter.ToolName(finding.Tool), finding.MigrationId, finding.Rule, finding.Severity, finding.Location, finding.Message);
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ToString());
    }

    private static void Row(StringBuilder text, HistoryResult result, params string[] cells)
    {
        text.Append(result.Folder.Name);
        foreach (var cell in cells)
        {
            text.Append('\t').Append(cell.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' '));
        }

        text.Append('\n');
    }
}
