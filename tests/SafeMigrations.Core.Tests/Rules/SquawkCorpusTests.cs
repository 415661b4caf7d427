using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;
using SquawkComparison;

namespace SafeMigrations.Core.Tests.Rules;

/// <summary>
/// The corpus bench/SquawkComparison compares with squawk, as tests: each unsafe file gets the rule its
/// header names from Core's SQL path; each safe recipe gets no warning or error.
/// </summary>
[TestClass]
public sealed class SquawkCorpusTests
{
    private static readonly IReadOnlyList<CorpusCase> Cases = CorpusCase.Load(Path.Combine(Testing.RepositoryRoot.Path, "bench", "SquawkComparison", "corpus"));

    public static IEnumerable<object[]> Files => Cases.Select(c => new object[] { c.FileName });

    [TestMethod]
    [DynamicData(nameof(Files))]
    public void The_corpus_file_gets_what_its_header_expects(string fileName)
    {
        var corpusCase = Cases.Single(c => c.FileName == fileName);
        var findings = new MigrationAnalyzer().Analyze(new MigrationDefinition("20260101000000_" + corpusCase.Name,
            [new RawSqlChange(corpusCase.Sql) { SuppressTransaction = !corpusCase.InTransaction, Location = new SourceLocation(fileName, 1, 1) }])
        {
            DownState = DownState.Present,
            DownOperations = [new OtherStatementChange("inverse", true)],
        });

        if (corpusCase.IsUnsafe && !string.IsNullOrEmpty(corpusCase.OurRule))
        {
            Assert.IsTrue(findings.Any(f => f.RuleId == corpusCase.OurRule), $"{fileName} expects {corpusCase.OurRule}: {string.Join(" | ", findings)}");
        }
        else if (!corpusCase.IsUnsafe)
        {
            Assert.IsFalse(findings.Any(f => f.Severity >= Severity.Warning), $"{fileName} is a safe recipe: {string.Join(" | ", findings)}");
        }
    }
}
