using System.Globalization;

namespace SafeMigrations.Design.Protocol;

/// <summary>
/// One progress line on the channel: "@progress\tkind\tindex\ttotal\tmigration\telapsed-ms\trows\testimated-rows\tdetail".
/// The host writes it with <see cref="ToLine"/> as the runner reports; the CLI reads it with <see cref="Parse"/> to show live.
/// </summary>
internal sealed record HostProgress(string Kind, int Index, int Total, string MigrationId, double ElapsedMs, long Rows, long RowsEstimate, string Detail)
{
    private const int DetailLength = 120;

    /// <summary>The line; the detail (a statement) on one line, without tabs, at most 120 characters.</summary>
    public string ToLine()
    {
        var detail = Detail.ReplaceLineEndings(" ").Replace('\t', ' ').Trim();
        if (detail.Length > DetailLength)
        {
            detail = detail[..DetailLength] + " …";
        }

        return string.Create(CultureInfo.InvariantCulture, $"{HostChannel.ProgressPrefix}{Kind}\t{Index}\t{Total}\t{MigrationId}\t{ElapsedMs:0}\t{Rows}\t{RowsEstimate}\t{detail}");
    }

    /// <summary>The progress a line carries, or null for any other line.</summary>
    public static HostProgress? Parse(string line)
    {
        if (!HostChannel.IsProgress(line))
        {
            return null;
        }

        var parts = line.Split('\t');
        if (parts.Length < 9
            || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var total)
            || !double.TryParse(parts[5], NumberStyles.Float, CultureInfo.InvariantCulture, out var elapsed)
            || !long.TryParse(parts[6], NumberStyles.Integer, CultureInfo.InvariantCulture, out var rows)
            || !long.TryParse(parts[7], NumberStyles.Integer, CultureInfo.InvariantCulture, out var estimate))
        {
            return null;
        }

        return new HostProgress(parts[1], index, total, parts[4], elapsed, rows, estimate, parts[8]);
    }
}
