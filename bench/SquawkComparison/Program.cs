using System.Diagnostics;
using System.Globalization;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;
using SafeMigrations.Core.Sql;
using SquawkComparison;

// Usage: dotnet run --project bench/SquawkComparison -c Release [-- --repeat 200]
// Needs squawk: npm install --prefix bench/SquawkComparison (or SQUAWK=/path/to/squawk).
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("dotnet run --project bench/SquawkComparison -c Release -- [--repeat 200]\nOur SQL rules against squawk's on the corpus in bench/SquawkComparison/corpus: which rule each reports, and the time per file. Needs squawk (npm install --prefix bench/SquawkComparison, or SQUAWK=<path>).");
    return 0;
}

var benchDirectory = FindBenchDirectory();
var repeat = args.Length >= 2 && args[0] == "--repeat" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
var corpusDirectory = Path.Combine(benchDirectory, "corpus");
var cases = CorpusCase.Load(corpusDirectory);
var squawk = SquawkRunner.Find(benchDirectory);
if (squawk is null)
{
    Console.Error.WriteLine("error: squawk not found. Fix: npm install --prefix bench/SquawkComparison (or set SQUAWK to its path).");
    return 2;
}

var analyzer = new MigrationAnalyzer();
IReadOnlyList<Finding> Ours(CorpusCase c) => analyzer.Analyze(new MigrationDefinition(
    "20260101000000_" + c.Name, [new RawSqlChange(c.Sql) { SuppressTransaction = !c.InTransaction, Location = new SourceLocation(c.FileName, 1, 1) }])
{
    DownState = DownState.Present,
    DownOperations = [new OtherStatementChange("inverse", true)],
});

var squawkRules = squawk.Lint(cases.Where(c => c.InTransaction).Select(c => Path.Combine(corpusDirectory, c.FileName)), assumeInTransaction: true);
foreach (var (file, rules) in squawk.Lint(cases.Where(c => !c.InTransaction).Select(c => Path.Combine(corpusDirectory, c.FileName)), assumeInTransaction: false))
{
    squawkRules[file] = rules;
}

Console.WriteLine($"# SafeMigrations.Core vs {squawk.Version()} on {cases.Count} corpus files");
Console.WriteLine();
Console.WriteLine("| file | expected (ours / squawk) | SafeMigrations | squawk (timeout rules omitted) | verdict |");
Console.WriteLine("|---|---|---|---|---|");
int squawkCatches = 0, weCatchOfThose = 0, weCatch = 0, unsafeCount = 0, ourFalsePositives = 0, squawkFalsePositives = 0, squawkTimeoutOnlyNoise = 0;
foreach (var c in cases)
{
    var ours = Ours(c);
    var theirs = squawkRules.GetValueOrDefault(c.FileName) ?? [];
    var theirsShown = theirs.Where(r => !SquawkRunner.TimeoutRules.Contains(r)).Order(StringComparer.Ordinal).ToList();
    var oursShown = ours.Select(f => f.RuleId + (f.Severity == Severity.Info ? "(i)" : string.Empty)).Distinct().ToList();
    string verdict;
    if (c.IsUnsafe)
    {
        unsafeCount++;
        var oursHit = !string.IsNullOrEmpty(c.OurRule) && ours.Any(f => f.RuleId == c.OurRule);
        var theirsHit = !string.IsNullOrEmpty(c.SquawkRule) && theirs.Contains(c.SquawkRule);
        weCatch += oursHit ? 1 : 0;
        squawkCatches += theirsHit ? 1 : 0;
        weCatchOfThose += theirsHit && oursHit ? 1 : 0;
        verdict = (oursHit, theirsHit) switch
        {
            (true, true) => "both catch",
            (true, false) => "only SafeMigrations",
            (false, true) => "**only squawk**",
            _ => "**neither**",
        };
    }
    else
    {
        var oursClean = !ours.Any(f => f.Severity >= Severity.Warning);
        var theirsClean = theirsShown.Count == 0;
        ourFalsePositives += oursClean ? 0 : 1;
        squawkFalsePositives += theirsClean ? 0 : 1;
        squawkTimeoutOnlyNoise += theirsClean && theirs.Count > 0 ? 1 : 0;
        verdict = (oursClean, theirsClean) switch
        {
            (true, true) => "both clean",
            (true, false) => "squawk flags the safe recipe",
            (false, true) => "**SafeMigrations flags the safe recipe**",
            _ => "both flag",
        };
    }

    var expected = c.IsUnsafe ? $"{Or(c.OurRule)} / {Or(c.SquawkRule)}" : "clean";
    Console.WriteLine($"| {c.FileName} | {expected} | {Join(oursShown)} | {Join(theirsShown)} | {verdict} |");
}

Console.WriteLine();
Console.WriteLine($"Unsafe cases: {unsafeCount}. SafeMigrations catches {weCatch}; squawk catches {squawkCatches}; of squawk's {squawkCatches}, SafeMigrations catches {weCatchOfThose}.");
Console.WriteLine($"Safe recipes: {cases.Count - unsafeCount}. Flagged by SafeMigrations (warning or error): {ourFalsePositives}; by squawk (besides timeout rules): {squawkFalsePositives}; by squawk's timeout rules only: {squawkTimeoutOnlyNoise}.");

// Throughput: the same files, copied `repeat` times, through both tools in this run.
var work = Directory.CreateTempSubdirectory("squawk-bench-");
try
{
    for (var copy = 0; copy < repeat; copy++)
    {
        foreach (var c in cases)
        {
            File.WriteAllText(Path.Combine(work.FullName, $"{copy:D4}-{c.FileName}"), c.Sql);
        }
    }

    var statements = cases.Sum(c => SqlStatementSplitter.Split(c.Sql).Count) * repeat;
    foreach (var c in cases)
    {
        Ours(c); // warm-up: JIT
    }

    var files = Directory.GetFiles(work.FullName).Order(StringComparer.Ordinal).ToList();
    var stopwatch = Stopwatch.StartNew();
    var findings = 0;
    foreach (var file in files)
    {
        var text = File.ReadAllText(file);
        findings += Ours(new CorpusCase(Path.GetFileName(file), "x", true, text, null, null, true)).Count;
    }

    var oursTime = stopwatch.Elapsed;
    squawk.Time(Path.Combine(work.FullName, "0000-*.sql")); // warm-up: page cache
    var squawkTime = squawk.Time(Path.Combine(work.FullName, "*.sql"));
    var oursRate = statements / oursTime.TotalSeconds;
    var squawkRate = statements / squawkTime.TotalSeconds;
    Console.WriteLine();
    Console.WriteLine($"Throughput over {files.Count} files, {statements} statements (same input, same run):");
    Console.WriteLine($"  SafeMigrations.Core (in process, reading files): {oursTime.TotalMilliseconds:0} ms, {oursRate:0} statements/s ({findings} findings)");
    Console.WriteLine($"  squawk (one process, all files):                 {squawkTime.TotalMilliseconds:0} ms, {squawkRate:0} statements/s");
    Console.WriteLine($"  ratio SafeMigrations/squawk: {oursRate / squawkRate:0.00}x");
}
finally
{
    work.Delete(recursive: true);
}

return 0;

static string Or(string? rule) => string.IsNullOrEmpty(rule) ? "—" : rule;

static string Join(IReadOnlyCollection<string> items) => items.Count == 0 ? "—" : string.Join(", ", items);

static string FindBenchDirectory()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        var candidate = Path.Combine(directory.FullName, "bench", "SquawkComparison");
        if (Directory.Exists(Path.Combine(candidate, "corpus")))
        {
            return candidate;
        }
    }

    throw new InvalidOperationException("bench/SquawkComparison/corpus not found above " + AppContext.BaseDirectory);
}
