using System.Globalization;
using System.Text;

namespace AnalyzerOverhead;

/// <summary>
/// Writes an EF Core + Npgsql project of the size the issue asks about: N entities (each pointing at
/// the previous one), a DbContext, a ModelSnapshot that matches them, and 2N migrations with their
/// Designer files (CreateTable for every entity, then concurrent indexes and SQL). Designers carry
/// attributes and a minimal BuildTargetModel rather than the full model each real one repeats; that
/// makes the compile smaller and our share of it larger, so the measured overhead is an upper bound.
/// </summary>
internal static class WorkloadGenerator
{
    public static void Write(string directory, int entities, string analyzerDirectory)
    {
        Directory.CreateDirectory(Path.Combine(directory, "Models"));
        Directory.CreateDirectory(Path.Combine(directory, "Migrations"));
        File.WriteAllText(Path.Combine(directory, "Bench.csproj"), Project(analyzerDirectory));
        for (var i = 0; i < entities; i++)
        {
            File.WriteAllText(Path.Combine(directory, "Models", $"Entity{i}.cs"), Entity(i));
        }

        File.WriteAllText(Path.Combine(directory, "BenchContext.cs"), Context(entities));
        File.WriteAllText(Path.Combine(directory, "Migrations", "BenchContextModelSnapshot.cs"), Snapshot(entities));
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var m = 0; m < entities * 2; m++)
        {
            var name = $"Migration{m}";
            var id = start.AddMinutes(m).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "_" + name;
            var (up, down) = m < entities ? CreateTable(m) : m % 2 == 0 ? ConcurrentIndex(m - entities) : RecipeOrComment(m - entities);
            File.WriteAllText(Path.Combine(directory, "Migrations", id + ".cs"), Migration(name, up, down));
            File.WriteAllText(Path.Combine(directory, "Migrations", id + ".Designer.cs"), Designer(name, id));
        }
    }

    private static string Project(string analyzerDirectory) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
            <RootNamespace>Bench</RootNamespace>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="10.0.3" />
          </ItemGroup>
          <ItemGroup Condition="'$(WithSafeMigrations)' == 'true'">
            <Analyzer Include="{analyzerDirectory}/SafeMigrations.Analyzers.dll" />
            <Analyzer Include="{analyzerDirectory}/SafeMigrations.Core.dll" />
          </ItemGroup>
        </Project>
        """;

    private static string Entity(int i)
    {
        var parent = i == 0 ? string.Empty : $$"""

                public long? ParentId { get; set; }

                public Entity{{i - 1}}? Parent { get; set; }
            """;
        return $$"""
            using System.ComponentModel.DataAnnotations;

            namespace Bench.Models;

            public class Entity{{i}}
            {
                public long Id { get; set; }

                [MaxLength(100)]
                public string Name { get; set; } = "";

                public decimal Amount { get; set; }

                public DateTimeOffset CreatedAt { get; set; }

                public string? Notes { get; set; }

                public bool Flag { get; set; }
            {{parent}}
            }
            """;
    }

    private static string Context(int entities)
    {
        var sets = new StringBuilder();
        for (var i = 0; i < entities; i++)
        {
            sets.Append(CultureInfo.InvariantCulture, $"    public DbSet<Entity{i}> Entity{i}s => Set<Entity{i}>();\n\n");
        }

        return $$"""
            using Bench.Models;
            using Microsoft.EntityFrameworkCore;

            namespace Bench;

            public class BenchContext(DbContextOptions<BenchContext> options) : DbContext(options)
            {
            {{sets}}
                protected override void OnModelCreating(ModelBuilder modelBuilder)
                {
                    modelBuilder.Entity<Entity0>(e => e.Property(x => x.CreatedAt).HasDefaultValueSql("now()"));
                }
            }
            """;
    }

    private static string Snapshot(int entities)
    {
        var blocks = new StringBuilder();
        for (var i = 0; i < entities; i++)
        {
            var parent = i == 0 ? string.Empty : """

                                b.Property<long?>("ParentId")
                                    .HasColumnType("bigint");

                """;
            blocks.Append(CultureInfo.InvariantCulture, $$"""
                            modelBuilder.Entity("Bench.Models.Entity{{i}}", b =>
                                {
                                    b.Property<long>("Id")
                                        .ValueGeneratedOnAdd()
                                        .HasColumnType("bigint");

                                    NpgsqlPropertyBuilderExtensions.UseIdentityByDefaultColumn(b.Property<long>("Id"));

                                    b.Property<decimal>("Amount")
                                        .HasColumnType("numeric");

                                    b.Property<DateTimeOffset>("CreatedAt")
                                        .HasColumnType("timestamp with time zone");

                                    b.Property<bool>("Flag")
                                        .HasColumnType("boolean");

                                    b.Property<string>("Name")
                                        .IsRequired()
                                        .HasMaxLength(100)
                                        .HasColumnType("character varying(100)");

                                    b.Property<string>("Notes")
                                        .HasColumnType("text");
                {{parent}}
                                    b.HasKey("Id");

                                    b.ToTable("Entity{{i}}s");
                                });


                """);
        }

        for (var i = 1; i < entities; i++)
        {
            blocks.Append(CultureInfo.InvariantCulture, $$"""
                            modelBuilder.Entity("Bench.Models.Entity{{i}}", b =>
                                {
                                    b.HasOne("Bench.Models.Entity{{i - 1}}", "Parent")
                                        .WithMany()
                                        .HasForeignKey("ParentId");

                                    b.Navigation("Parent");
                                });


                """);
        }

        return $$"""
            // <auto-generated />
            using System;
            using Bench;
            using Microsoft.EntityFrameworkCore;
            using Microsoft.EntityFrameworkCore.Infrastructure;
            using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

            #nullable disable

            namespace Bench.Migrations
            {
                [DbContext(typeof(BenchContext))]
                partial class BenchContextModelSnapshot : ModelSnapshot
                {
                    protected override void BuildModel(ModelBuilder modelBuilder)
                    {
            #pragma warning disable 612, 618
                        modelBuilder.HasAnnotation("ProductVersion", "10.0.4");

            {{blocks}}
            #pragma warning restore 612, 618
                    }
                }
            }
            """;
    }

    private static (string Up, string Down) CreateTable(int i)
    {
        var parentColumn = i == 0 ? string.Empty : """

                            ParentId = table.Column<long>(type: "bigint", nullable: true),
            """;
        var foreignKey = i == 0 ? string.Empty : $$"""

                            table.ForeignKey(
                                name: "FK_Entity{{i}}s_Entity{{i - 1}}s_ParentId",
                                column: x => x.ParentId,
                                principalTable: "Entity{{i - 1}}s",
                                principalColumn: "Id");
            """;
        var up = $$"""
            migrationBuilder.CreateTable(
                            name: "Entity{{i}}s",
                            columns: table => new
                            {
                                Id = table.Column<long>(type: "bigint", nullable: false)
                                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                                Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                                Amount = table.Column<decimal>(type: "numeric", nullable: false),
                                CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                                Notes = table.Column<string>(type: "text", nullable: true),
                                Flag = table.Column<bool>(type: "boolean", nullable: false),{{parentColumn}}
                            },
                            constraints: table =>
                            {
                                table.PrimaryKey("PK_Entity{{i}}s", x => x.Id);{{foreignKey}}
                            });

                        migrationBuilder.CreateIndex(
                            name: "IX_Entity{{i}}s_Name",
                            table: "Entity{{i}}s",
                            column: "Name");
            """;
        return (up, $"migrationBuilder.DropTable(name: \"Entity{i}s\");");
    }

    private static (string Up, string Down) ConcurrentIndex(int i) => ($$"""
        migrationBuilder.CreateIndex(
                        name: "IX_Entity{{i}}s_CreatedAt",
                        table: "Entity{{i}}s",
                        column: "CreatedAt")
                        .Annotation("Npgsql:CreatedConcurrently", true);
        """, $"migrationBuilder.DropIndex(name: \"IX_Entity{i}s_CreatedAt\", table: \"Entity{i}s\");");

    // Every 100 migrations, one column goes NOT NULL by the safe recipe over three migrations (check
    // NOT VALID, validate, set NOT NULL), so the analyzer also pays for reading earlier migrations.
    private static (string Up, string Down) RecipeOrComment(int i) => (i % 100) switch
    {
        1 => ($"migrationBuilder.Sql(\"ALTER TABLE \\\"Entity{i}s\\\" ADD CONSTRAINT \\\"CK_Entity{i}s_Notes\\\" CHECK (\\\"Notes\\\" IS NOT NULL) NOT VALID;\");",
            $"migrationBuilder.Sql(\"ALTER TABLE \\\"Entity{i}s\\\" DROP CONSTRAINT \\\"CK_Entity{i}s_Notes\\\";\");"),
        3 => ($"migrationBuilder.Sql(\"ALTER TABLE \\\"Entity{i - 2}s\\\" VALIDATE CONSTRAINT \\\"CK_Entity{i - 2}s_Notes\\\";\");", "migrationBuilder.Sql(\"SELECT 1;\");"),
        5 => ($$"""
            migrationBuilder.AlterColumn<string>(
                            name: "Notes",
                            table: "Entity{{i - 4}}s",
                            type: "text",
                            nullable: false,
                            oldClrType: typeof(string),
                            oldType: "text",
                            oldNullable: true);
            """, $$"""
            migrationBuilder.AlterColumn<string>(
                            name: "Notes",
                            table: "Entity{{i - 4}}s",
                            type: "text",
                            nullable: true,
                            oldClrType: typeof(string),
                            oldType: "text");
            """),
        _ => Comment(i),
    };

    private static (string Up, string Down) Comment(int i) => (
        $"migrationBuilder.Sql(\"COMMENT ON TABLE \\\"Entity{i}s\\\" IS 'generated for the benchmark; one row per thing';\");",
        $"migrationBuilder.Sql(\"COMMENT ON TABLE \\\"Entity{i}s\\\" IS NULL;\");");

    private static string Migration(string name, string up, string down) => $$"""
        using Microsoft.EntityFrameworkCore.Migrations;
        using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

        #nullable disable

        namespace Bench.Migrations
        {
            /// <inheritdoc />
            public partial class {{name}} : Migration
            {
                /// <inheritdoc />
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    {{up}}
                }

                /// <inheritdoc />
                protected override void Down(MigrationBuilder migrationBuilder)
                {
                    {{down}}
                }
            }
        }
        """;

    private static string Designer(string name, string id) => $$"""
        // <auto-generated />
        using Bench;
        using Microsoft.EntityFrameworkCore;
        using Microsoft.EntityFrameworkCore.Infrastructure;
        using Microsoft.EntityFrameworkCore.Migrations;

        #nullable disable

        namespace Bench.Migrations
        {
            [DbContext(typeof(BenchContext))]
            [Migration("{{id}}")]
            partial class {{name}}
            {
                /// <inheritdoc />
                protected override void BuildTargetModel(ModelBuilder modelBuilder)
                {
                    modelBuilder.HasAnnotation("ProductVersion", "10.0.4");
                }
            }
        }
        """;
}
