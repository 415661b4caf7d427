using System.Text.RegularExpressions;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Design;

/// <summary>
/// Points findings at source: the file of a migration, context or snapshot class, and the line of the
/// n-th MigrationBuilder call in a migration's Up. The project's .cs files are scanned as text (the
/// host has no compiler), once, lazily.
/// </summary>
internal sealed partial class MigrationSourceMap(string? projectDirectory)
{
    private Dictionary<string, List<string>>? filesByClass;
    private readonly Dictionary<string, CSharpText> texts = new(StringComparer.Ordinal);

    /// <summary>The file declaring the class, preferring the one that is not generated (the migration, not its Designer).</summary>
    public string? FileOf(Type type, string? mustContain = null)
    {
        var candidates = Candidates(type);
        return candidates.FirstOrDefault(f => mustContain is null || Text(f).Code.Contains(mustContain, StringComparison.Ordinal))
            ?? candidates.FirstOrDefault();
    }

    /// <summary>Where the class is declared.</summary>
    public SourceLocation? ClassLocation(Type type, string? mustContain = null)
    {
        if (FileOf(type, mustContain) is not { } file)
        {
            return null;
        }

        var text = Text(file);
        var match = Regex.Match(text.Code, @"\bclass\s+" + Regex.Escape(type.Name) + @"\b");
        var (line, column) = text.Position(match.Success ? match.Index : 0);
        return new SourceLocation(file, line, column);
    }

    /// <summary>Where an attribute with this first argument is applied in the class's file, e.g. [SuppressMigrationRule("SM1011")].</summary>
    public SourceLocation? AttributeLocation(Type type, string attributeName, string firstArgument)
    {
        foreach (var file in Candidates(type))
        {
            var text = Text(file);
            var match = Regex.Match(text.Original, @"\[\s*(?:[\w.]+\.)?" + Regex.Escape(attributeName) + @"(?:Attribute)?\s*\(\s*""" + Regex.Escape(firstArgument) + @"""");
            if (match.Success)
            {
                var (line, column) = text.Position(match.Index);
                return new SourceLocation(file, line, column);
            }
        }

        return null;
    }

    /// <summary>
    /// The location of each operation of a migration's Up, matched to the MigrationBuilder calls in order by
    /// method name (AddColumnOperation ↔ AddColumn). An operation no call matches (built in a loop or a
    /// helper) gets the Up method's location.
    /// </summary>
    public IReadOnlyList<SourceLocation?> UpOperationLocations(Type migrationType, IReadOnlyList<string> methodNames)
    {
        var result = new SourceLocation?[methodNames.Count];
        if (FileOf(migrationType, "void Up(") is not { } file)
        {
            return result;
        }

        var text = Text(file);
        var up = UpMethod().Match(text.Code);
        if (!up.Success)
        {
            return result;
        }

        var (upLine, upColumn) = text.Position(up.Index);
        var upLocation = new SourceLocation(file, upLine, upColumn);
        var open = text.Code.IndexOf('{', up.Index + up.Length);
        var close = open < 0 ? -1 : text.MatchingBrace(open);
        if (close < 0)
        {
            Array.Fill(result, upLocation);
            return result;
        }

        var builder = up.Groups["builder"].Value;
        var calls = Regex.Matches(text.Code[open..close], @"\b" + Regex.Escape(builder) + @"\s*\.\s*(?<method>\w+)\s*(?:<[^>()]*>)?\s*\(")
            .Select(m => (Method: m.Groups["method"].Value, Offset: open + m.Index))
            .ToList();
        var next = 0;
        for (var i = 0; i < methodNames.Count; i++)
        {
            var found = calls.FindIndex(next, c => c.Method == methodNames[i]);
            if (found < 0)
            {
                result[i] = upLocation;
                continue;
            }

            var (line, column) = text.Position(calls[found].Offset);
            result[i] = new SourceLocation(file, line, column);
            next = found + 1;
        }

        return result;
    }

    private List<string> Candidates(Type type)
    {
        filesByClass ??= Index();
        if (!filesByClass.TryGetValue(type.Name, out var files))
        {
            return [];
        }

        // Same-named classes in other namespaces: keep the files that declare the type's namespace, when any do.
        var inNamespace = type.Namespace is { } ns ? files.Where(f => Text(f).Code.Contains(ns, StringComparison.Ordinal)).ToList() : files;
        return (inNamespace.Count > 0 ? inNamespace : files)
            .OrderBy(f => f.EndsWith(".Designer.cs", StringComparison.OrdinalIgnoreCase) ? 1 : 0)
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToList();
    }

    private Dictionary<string, List<string>> Index()
    {
        var index = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (projectDirectory is null || !Directory.Exists(projectDirectory))
        {
            return index;
        }

        foreach (var file in SourceFiles(projectDirectory))
        {
            foreach (Match match in ClassDeclaration().Matches(Text(file).Code))
            {
                var name = match.Groups["name"].Value;
                (index.TryGetValue(name, out var list) ? list : index[name] = []).Add(file);
            }
        }

        return index;
    }

    private static IEnumerable<string> SourceFiles(string directory)
    {
        var pending = new Stack<string>();
        pending.Push(directory);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            IEnumerable<string> files;
            IEnumerable<string> directories;
            try
            {
                files = Directory.EnumerateFiles(current, "*.cs");
                directories = Directory.EnumerateDirectories(current);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var file in files)
            {
                yield return file;
            }

            foreach (var child in directories)
            {
                var name = Path.GetFileName(child);
                if (name is not ("bin" or "obj" or "node_modules") && !name.StartsWith('.'))
                {
                    pending.Push(child);
                }
            }
        }
    }

    private CSharpText Text(string file)
    {
        if (!texts.TryGetValue(file, out var text))
        {
            text = new CSharpText(File.ReadAllText(file));
            texts[file] = text;
        }

        return text;
    }

    [GeneratedRegex(@"\bclass\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ClassDeclaration();

    [GeneratedRegex(@"\boverride\s+void\s+Up\s*\(\s*MigrationBuilder\s+(?<builder>@?\w+)\s*\)")]
    private static partial Regex UpMethod();
}
