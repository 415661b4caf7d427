using System;
using System.Collections.Generic;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Analysis;

/// <summary>How migrations are judged. Every front end maps its configuration (editorconfig, MSBuild properties, CLI flags) onto this.</summary>
public sealed record AnalysisOptions
{
    private readonly int targetVersion = PostgresVersion.Default;

    public static AnalysisOptions Default { get; } = new();

    /// <summary>PostgreSQL major version the migrations will run on (default 15, minimum 12).</summary>
    public int TargetPostgresVersion
    {
        get => targetVersion;
        init => targetVersion = PostgresVersion.Validate(value);
    }

    /// <summary>Migrations with an id at or before this one predate adoption and are not judged.</summary>
    public string? BaselineMigrationId { get; init; }

    /// <summary>Also judge Down with the full rule set (off by default: Down undoes Up by design).</summary>
    public bool CheckDown { get; init; }

    /// <summary>Per-rule severity; <see cref="Severity.None"/> turns a rule off.</summary>
    public IReadOnlyDictionary<string, Severity> Severities { get; init; } = new Dictionary<string, Severity>(StringComparer.OrdinalIgnoreCase);

    public bool IsBeforeBaseline(string migrationId) =>
        BaselineMigrationId is not null && string.CompareOrdinal(migrationId, BaselineMigrationId) <= 0;

    public Severity SeverityOf(RuleDescriptor rule) =>
        Severities.TryGetValue(rule.Id, out var configured) ? configured : rule.DefaultSeverity;
}
