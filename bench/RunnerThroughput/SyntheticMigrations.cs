using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace RunnerThroughput;

/// <summary>A context whose migrations are generated at run time: N small CREATE TABLEs, discovered by EF like any others.</summary>
public sealed class SyntheticContext(string connectionString) : DbContext
{
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.UseNpgsql(connectionString).ReplaceService<IMigrationsAssembly, SyntheticMigrationsAssembly>();
}

/// <summary>One small migration: a table with a key, a name and an index, as a typical early migration is.</summary>
public abstract class SyntheticMigration : Migration
{
    internal static readonly ConcurrentDictionary<Type, int> Numbers = new();

    private int Number => Numbers[GetType()];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var table = $"synthetic_{Number:D3}";
        migrationBuilder.CreateTable(
            name: table,
            columns: c => new
            {
                id = c.Column<long>(type: "bigint", nullable: false).Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                name = c.Column<string>(type: "text", nullable: false),
            },
            constraints: t => t.PrimaryKey($"pk_{table}", x => x.id));
        migrationBuilder.CreateIndex(name: $"ix_{table}_name", table: table, column: "name");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: $"synthetic_{Number:D3}");
}

/// <summary>EF's migrations assembly service, over types emitted at start-up (one per migration).</summary>
public sealed class SyntheticMigrationsAssembly : IMigrationsAssembly
{
    private static readonly Lazy<(Assembly Assembly, IReadOnlyDictionary<string, TypeInfo> Migrations)> Generated = new(() => Emit(Count));

    public static int Count { get; set; } = 300;

    public IReadOnlyDictionary<string, TypeInfo> Migrations => Generated.Value.Migrations;

    public ModelSnapshot? ModelSnapshot => null;

    public Assembly Assembly => Generated.Value.Assembly;

    public string? FindMigrationId(string nameOrId) =>
        Migrations.Keys.FirstOrDefault(id => id == nameOrId || id.EndsWith("_" + nameOrId, StringComparison.OrdinalIgnoreCase));

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
        migration.ActiveProvider = activeProvider;
        return migration;
    }

    private static (Assembly, IReadOnlyDictionary<string, TypeInfo>) Emit(int count)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("SyntheticMigrations"), AssemblyBuilderAccess.Run);
        var module = assembly.DefineDynamicModule("SyntheticMigrations");
        var migrations = new SortedDictionary<string, TypeInfo>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var id = $"20260101{i:D6}_Synthetic{i:D3}";
            var type = module.DefineType($"Synthetic.M{i:D3}", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(SyntheticMigration));
            type.DefineDefaultConstructor(MethodAttributes.Public);
            type.SetCustomAttribute(new CustomAttributeBuilder(typeof(MigrationAttribute).GetConstructor([typeof(string)])!, [id]));
            var created = type.CreateTypeInfo()!;
            SyntheticMigration.Numbers[created.AsType()] = i;
            migrations[id] = created;
        }

        return (assembly, migrations);
    }
}
