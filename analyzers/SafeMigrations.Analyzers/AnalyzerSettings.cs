using System;
using System.Globalization;
using Microsoft.CodeAnalysis.Diagnostics;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Postgres;

namespace SafeMigrations.Analyzers;

/// <summary>
/// Reads the analysis options from MSBuild properties (made visible with CompilerVisibleProperty) or
/// .editorconfig / .globalconfig keys. Per-rule severities use the standard dotnet_diagnostic keys,
/// which the compiler applies itself.
/// </summary>
internal static class AnalyzerSettings
{
    public const string TargetVersionProperty = "build_property.SafeMigrationsTargetPostgresVersion";
    public const string TargetVersionKey = "safemigrations.target_postgres_version";
    public const string BaselineProperty = "build_property.SafeMigrationsBaseline";
    public const string BaselineKey = "safemigrations.baseline";
    public const string CheckDownProperty = "build_property.SafeMigrationsCheckDown";
    public const string CheckDownKey = "safemigrations.check_down";
    public const string EfToolBuildProperty = "build_property.SafeMigrationsEfToolBuild";
    public const string GenerateOnBuildProperty = "build_property.SafeMigrationsGenerateOnBuild";

    /// <summary>The build `dotnet ef` runs before each command (the package's props detect it): the analyzers stay out of its way.</summary>
    public static bool IsEfToolBuild(AnalyzerConfigOptions options) =>
        options.TryGetValue(EfToolBuildProperty, out var value) && string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The build writes pending model changes as migrations in their safe form (SafeMigrationsGenerateOnBuild).</summary>
    public static bool IsGenerateOnBuild(AnalyzerConfigOptions options) =>
        options.TryGetValue(GenerateOnBuildProperty, out var value) && string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    public static AnalysisOptions Read(AnalyzerConfigOptions options)
    {
        var version = First(options, TargetVersionProperty, TargetVersionKey);
        var baseline = First(options, BaselineProperty, BaselineKey);
        var checkDown = First(options, CheckDownProperty, CheckDownKey);
        var targetVersion = int.TryParse(version, NumberStyles.Integer, CultureInfo.InvariantCulture, out var major) && major >= PostgresVersion.Minimum
            ? major
            : PostgresVersion.Default;
        return new AnalysisOptions
        {
            TargetPostgresVersion = targetVersion,
            BaselineMigrationId = string.IsNullOrWhiteSpace(baseline) ? null : baseline!.Trim(),
            CheckDown = string.Equals(checkDown?.Trim(), "true", StringComparison.OrdinalIgnoreCase),
        };
    }

    private static string? First(AnalyzerConfigOptions options, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (options.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value))
            {
                return value;
            }
        }

        return null;
    }
}
