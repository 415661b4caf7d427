using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace RunnerThroughput;

/// <summary>A context with one migration: the batched backfill of bench_rows_batched.</summary>
public sealed class BackfillContext(string connectionString) : DbContext
{
    public static int BatchSize { get; set; } = 5000;

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => optionsBuilder.UseNpgsql(connectionString);
}

[DbContext(typeof(BackfillContext))]
[Migration("20260101000000_BackfillFlag")]
public sealed class BackfillFlag : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Backfill("bench_rows_batched", "id", set: "flag = v * 2", where: "flag IS NULL", batchSize: BackfillContext.BatchSize);

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}
