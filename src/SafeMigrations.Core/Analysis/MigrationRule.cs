using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Analysis;

/// <summary>
/// A rule of the catalog. Most rules judge one operation at a time (<see cref="AnalyzeOperation"/>);
/// a few judge the migration as a whole (<see cref="Analyze"/>).
/// </summary>
public abstract class MigrationRule
{
    public abstract RuleDescriptor Descriptor { get; }

    public virtual IEnumerable<Finding> Analyze(MigrationContext context) =>
        context.Operations.SelectMany(operation => AnalyzeOperation(context, operation));

    protected virtual IEnumerable<Finding> AnalyzeOperation(MigrationContext context, AnalyzedOperation operation) => [];

    protected Finding Report(MigrationContext context, SchemaOperation operation, string message, LockLevel lockLevel = LockLevel.None) =>
        context.CreateFinding(Descriptor, message, operation, lockLevel);

    /// <summary>"takes ACCESS EXCLUSIVE (blocks reads and writes)".</summary>
    protected static string Takes(LockLevel level) => "takes " + level.SqlName() + " (" + level.Effect() + ")";
}
