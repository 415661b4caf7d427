namespace SquawkComparison;

/// <summary>
/// One corpus file: NN-name.unsafe.sql or NN-name.safe.sql. Header comments name the rule each tool
/// is expected to fire ("-- ours: SM1001", "-- squawk: require-concurrent-index-creation"; "-" for
/// none) and whether EF would run the SQL in a transaction ("-- transaction: no" = suppressTransaction).
/// A safe file without headers inherits its unsafe twin's rules, which must then not fire.
/// </summary>
internal sealed record CorpusCase(string FileName, string Name, bool IsUnsafe, string Sql, string? OurRule, string? SquawkRule, bool InTransaction)
{
    public static IReadOnlyList<CorpusCase> Load(string directory)
    {
        var cases = Directory.GetFiles(directory, "*.sql").Order(StringComparer.Ordinal).Select(Parse).ToList();
        return cases.Select(c =>
        {
            if (c.IsUnsafe || c.OurRule is not null || c.SquawkRule is not null)
            {
                return c;
            }

            var twin = cases.FirstOrDefault(u => u.IsUnsafe && u.Name == c.Name);
            return c with { OurRule = twin?.OurRule, SquawkRule = twin?.SquawkRule };
        }).ToList();
    }

    private static CorpusCase Parse(string path)
    {
        var fileName = Path.GetFileName(path);
        var parts = fileName.Split('.');
        var sql = File.ReadAllText(path);
        string? Header(string key) => sql.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("-- " + key + ":", StringComparison.Ordinal))
            .Select(line => line[(key.Length + 4)..].Trim())
            .Select(value => value == "-" ? string.Empty : value)
            .FirstOrDefault();
        return new CorpusCase(fileName, parts[0], parts[1] == "unsafe", sql, Header("ours"), Header("squawk"), Header("transaction") != "no");
    }
}
