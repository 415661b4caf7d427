using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Gate;

/// <summary>
/// SM3006: EF writes the ModelSnapshot and the newest migration's Designer from the same model, so the snapshot
/// has every table of the newest migration that records a model. A snapshot without some of them lost them:
/// `dotnet ef migrations remove` rewrote it from a migration whose Designer records no model (an empty one), or
/// a merge or a hand edit cut it. The next `migrations add` would then re-create those tables.
/// </summary>
public static class ModelSnapshotCheck
{
    /// <param name="recordedBy">The newest migration whose Designer records a target model.</param>
    /// <param name="recorded">The tables of that target model.</param>
    /// <param name="snapshot">The tables of the ModelSnapshot.</param>
    /// <param name="snapshotFile">The snapshot's file, for the command that restores it.</param>
    public static Finding? Check(string contextName, string recordedBy, IReadOnlyCollection<TableName> recorded, IReadOnlyCollection<TableName> snapshot, string? snapshotFile, AnalysisOptions options, SourceLocation? location)
    {
        if (recorded is null || snapshot is null || options is null)
        {
            return null;
        }

        var lost = recorded.Where(t => !snapshot.Contains(t)).ToList();
        var severity = options.SeverityOf(GateRules.ModelSnapshotLostTables);
        if (lost.Count == 0 || severity == Severity.None)
        {
            return null;
        }

        var file = snapshotFile ?? contextName + "ModelSnapshot.cs";
        var message = $"The ModelSnapshot of {contextName} lost {lost.Count} of the {recorded.Count} table(s) that {recordedBy} records in its model: "
            + string.Join(", ", lost.Take(8)) + (lost.Count > 8 ? $" and {lost.Count - 8} more" : string.Empty) + ". "
            + "A migration scaffolded now would create them again, and fail where they exist (42P07). "
            + "'dotnet ef migrations remove' writes the snapshot from the previous migration's Designer, and a Designer that records no model gives an empty one. "
            + $"Restore the snapshot from version control (git checkout -- \"{file}\") and build again.";
        return new Finding(RuleIds.ModelSnapshotLostTables, severity, message, string.Empty, location);
    }
}
