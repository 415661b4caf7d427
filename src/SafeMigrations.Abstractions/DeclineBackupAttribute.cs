using System;

namespace SafeMigrations;

/// <summary>
/// The runner takes no backup of what this migration drops: for data that must not live on, e.g. a column dropped
/// to erase personal data. Honoured only with a justification; a rollback past the migration then names the values
/// as lost for good.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DeclineBackupAttribute : Attribute
{
    /// <summary>Why the dropped values must not be kept, e.g. "users.ssn erased under the retention policy".</summary>
    public string? Justification { get; set; }
}
