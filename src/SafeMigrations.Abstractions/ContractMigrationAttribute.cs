using System;

namespace SafeMigrations;

/// <summary>
/// Marks a migration as the contract step of an expand/contract change: it removes or tightens what
/// the previous release already stopped using (a column no longer mapped, a table no longer read). The
/// build gate then does not report that the previous release would break (SM3005); the migration rules
/// still judge locks, rewrites and data loss.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ContractMigrationAttribute : Attribute
{
    /// <summary>What the previous release stopped using, e.g. "Todo.LegacyNotes unmapped in release 4.2".</summary>
    public string? Justification { get; set; }
}
