namespace RealHistories;

/// <summary>Which of the three linters a finding comes from.</summary>
internal enum Tool
{
    /// <summary>The SafeMigrations Roslyn analyzers, over the C# of the migrations.</summary>
    Analyzers,

    /// <summary>SafeMigrations.Core's SQL path, over the SQL EF and Npgsql generate.</summary>
    CoreSql,

    /// <summary>squawk, over the same generated SQL.</summary>
    Squawk,
}
