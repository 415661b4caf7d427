namespace SafeMigrations.Analyzers.Tests;

/// <summary>
/// Model changes whose next migration the SM1xxx rules would flag, reported on the line the developer
/// edited (the fluent call or the attribute), and model reading that must not invent changes.
/// </summary>
[TestClass]
public sealed class ModelCoverageTests
{
    private const string TodoItem = "Models/TodoItem.cs";
    private const string User = "Models/User.cs";
    private const string Context = "Data/TodoDbContext.cs";
    private const string Snapshot = "Migrations/TodoDbContextModelSnapshot.cs";
    private const string Pending = "{|SM2009:TodoDbContext|}";

    [TestMethod]
    public Task SM2010_a_fluent_index_on_an_existing_table_is_reported_at_HasIndex() => TodoModelSources.Load()
        .Edit(Context, "task.HasIndex(t => t.DueDate).IsCreatedConcurrently();", "task.HasIndex(t => t.DueDate).IsCreatedConcurrently();\n            task.{|SM2010:HasIndex|}(t => new { t.OwnerId, t.Completed });")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2010_an_index_attribute_is_reported_at_the_attribute() => TodoModelSources.Load()
        .Edit(TodoItem, "[Table(\"todo_items\")]", "[Table(\"todo_items\")]\n[{|SM2010:Microsoft.EntityFrameworkCore.Index(nameof(Title), IsUnique = true)|}]")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2010_not_for_an_index_created_concurrently_nor_one_the_snapshot_has() => TodoModelSources.Load()
        .Edit(Context, "task.HasIndex(t => t.DueDate).IsCreatedConcurrently();", "task.HasIndex(t => t.DueDate).IsCreatedConcurrently();\n            task.HasIndex(t => t.Title).IsCreatedConcurrently();")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2010_and_SM2009_not_when_the_build_generates_the_concurrent_index_itself() => TodoModelSources.Load()
        .Edit(Context, "task.HasIndex(t => t.DueDate).IsCreatedConcurrently();", "task.HasIndex(t => t.DueDate).IsCreatedConcurrently();\n            task.HasIndex(t => new { t.OwnerId, t.Completed });")
        .VerifyAsync(globalConfig: "build_property.SafeMigrationsGenerateOnBuild = true\n");

    [TestMethod]
    public Task SM2004_a_store_type_change_through_HasColumnType_is_reported_there() => TodoModelSources.Load()
        .Edit(Context, "task.Property(t => t.CreatedAt).HasDefaultValueSql(\"now()\");", "task.Property(t => t.CreatedAt).HasDefaultValueSql(\"now()\");\n            task.Property(t => t.Priority).{|SM2004:HasColumnType|}(\"bigint\");")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2004_a_store_type_change_through_the_Column_attribute_is_reported_there() => TodoModelSources.Load()
        .Edit(TodoItem, "[Column(\"priority\")]", "[{|SM2004:Column(\"priority\", TypeName = \"bigint\")|}]")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2005_a_shorter_varchar_through_HasColumnType_is_reported_there() => TodoModelSources.Load()
        .Edit(Context, "task.Property(t => t.CreatedAt).HasDefaultValueSql(\"now()\");", "task.Property(t => t.CreatedAt).HasDefaultValueSql(\"now()\");\n            task.Property(t => t.Title).{|SM2005:HasColumnType|}(\"character varying(100)\");")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task Binary_coercible_store_types_are_not_reported() => TodoModelSources.Load()
        .Edit(Context, "task.Property(t => t.CreatedAt).HasDefaultValueSql(\"now()\");", "task.Property(t => t.CreatedAt).HasDefaultValueSql(\"now()\");\n            task.Property(t => t.Title).HasColumnType(\"text\");")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2011_a_new_property_with_a_volatile_default_is_reported_at_HasDefaultValueSql() => TodoModelSources.Load()
        .Edit(TodoItem, "    [Column(\"completed\")]", "    [Column(\"public_id\")]\n    public Guid PublicId { get; set; }\n\n    [Column(\"completed\")]")
        .Edit(Context, "task.Property(t => t.CreatedAt).HasDefaultValueSql(\"now()\");", "task.Property(t => t.CreatedAt).HasDefaultValueSql(\"now()\");\n            task.Property(t => t.PublicId).{|SM2011:HasDefaultValueSql|}(\"gen_random_uuid()\");")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    [DataRow("NpgsqlTypes.NpgsqlRange<int>", "int4range")]
    [DataRow("Todo.Backend.Models.Money", "numeric")]
    public Task Structs_outside_a_list_are_non_nullable_in_the_snapshot_as_in_the_entity(string clrType, string storeType) => TodoModelSources.Load()
        .Add("Models/Money.cs", "namespace Todo.Backend.Models;\n\npublic readonly record struct Money(decimal Amount);\n")
        .Edit(TodoItem, "    [Column(\"completed\")]", $"    [Column(\"budget\")]\n    public {clrType} Budget {{ get; set; }}\n\n    [Column(\"completed\")]")
        .Edit(Snapshot, "                    b.Property<DateTimeOffset?>(\"DueDate\")", $"                    b.Property<{clrType}>(\"Budget\")\n                        .HasColumnType(\"{storeType}\")\n                        .HasColumnName(\"budget\");\n\n                    b.Property<DateTimeOffset?>(\"DueDate\")")
        .VerifyAsync();

    [TestMethod]
    public Task ApplyConfigurationsFromAssembly_finds_configurations_whatever_their_name() => TodoModelSources.Load()
        .Edit(Context, "        modelBuilder.Entity<User>(user =>", "        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TodoDbContext).Assembly);\n        modelBuilder.Entity<User>(user =>")
        .Add("Data/TodoItemMapping.cs", """
            using Microsoft.EntityFrameworkCore;
            using Microsoft.EntityFrameworkCore.Metadata.Builders;
            using Todo.Backend.Models;

            namespace Todo.Backend.Data;

            public sealed class TodoItemMapping : IEntityTypeConfiguration<TodoItem>
            {
                public void Configure(EntityTypeBuilder<TodoItem> builder) => builder.{|SM2010:HasIndex|}(t => t.Completed);
            }
            """)
        .MarkContext(Pending)
        .VerifyAsync();
}
