using System.Text;
using SafeMigrations.Core.Model;

namespace RealHistories;

/// <summary>
/// Writes each migration's generated SQL as EF runs it, one file per run of commands sharing a transaction
/// (&lt;id&gt;.sql in the common case; &lt;id&gt;.N.sql / &lt;id&gt;.N.notx.sql when some commands are
/// transaction-suppressed), each command ending with ';'. squawk lints these files; Core's findings point into them.
/// </summary>
internal sealed class SqlFolder
{
    private readonly Dictionary<(string Id, int Command), SourceLocation> locations = [];
    private readonly List<SqlFile> files = [];

    private SqlFolder(string directory) => Directory = directory;

    public string Directory { get; }

    public IReadOnlyList<SqlFile> Files => files;

    public static SqlFolder Write(string directory, IEnumerable<MigrationSql> migrations)
    {
        System.IO.Directory.CreateDirectory(directory);
        var folder = new SqlFolder(directory);
        foreach (var migration in migrations.Where(m => m.Generated && m.Commands.Count > 0))
        {
            folder.WriteMigration(migration);
        }

        return folder;
    }

    /// <summary>Where command <paramref name="index"/> of a migration was written (file name and 1-based line).</summary>
    public SourceLocation LocationOf(string migrationId, int index) =>
        locations.TryGetValue((migrationId, index), out var location) ? location : new SourceLocation(null, 1, 1);

    private void WriteMigration(MigrationSql migration)
    {
        var runs = new List<(bool Suppressed, List<int> Commands)>();
        for (var i = 0; i < migration.Commands.Count; i++)
        {
            var suppressed = migration.Commands[i].TransactionSuppressed;
            if (runs.Count == 0 || runs[^1].Suppressed != suppressed)
            {
                runs.Add((suppressed, []));
            }

            runs[^1].Commands.Add(i);
        }

        var stem = string.Concat(migration.Id.Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c));
        for (var r = 0; r < runs.Count; r++)
        {
            var (suppressed, commands) = runs[r];
            var fileName = stem + (runs.Count > 1 ? "." + (r + 1) : string.Empty) + (suppressed ? ".notx" : string.Empty) + ".sql";
            var text = new StringBuilder();
            var line = 1;
            foreach (var index in commands)
            {
                locations[(migration.Id, index)] = new SourceLocation(fileName, line, 1);
                var sql = Terminated(migration.Commands[index].Sql);
                text.Append(sql).Append('\n');
                line += sql.Count(c => c == '\n') + 1;
            }

            File.WriteAllText(Path.Combine(Directory, fileName), text.ToString());
            files.Add(new SqlFile(migration.Id, fileName, !suppressed));
        }
    }

    // On its own line: a command may end with a -- comment, which would swallow a ';' appended to it.
    private static string Terminated(string sql)
    {
        var trimmed = sql.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
        return trimmed.EndsWith(';') ? trimmed : trimmed + "\n;";
    }
}
