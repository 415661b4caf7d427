namespace SafeMigrations.Analyzers.Tests;

/// <summary>SM2xxx on the reference backend's real entities and snapshot, edited as a developer would.</summary>
[TestClass]
public sealed class ModelSnapshotAnalyzerTests
{
    private const string TodoItem = "Models/TodoItem.cs";
    private const string User = "Models/User.cs";
    private const string Context = "Data/TodoDbContext.cs";
    private const string Pending = "{|SM2009:TodoDbContext|}";

    [TestMethod]
    public Task The_unchanged_backend_matches_its_snapshot() => TodoModelSources.Load().VerifyAsync();

    [TestMethod]
    public Task SM2001_a_deleted_property_is_reported_on_its_class() => TodoModelSources.Load()
        .Edit(TodoItem, """
                [MaxLength(1000)]
                [Column("description")]
                public string? Description { get; set; }
            """, string.Empty)
        .Edit(TodoItem, "public class TodoItem", "public class {|SM2001:TodoItem|}")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2001_a_property_marked_NotMapped_drops_its_column_too() => TodoModelSources.Load()
        .Edit(TodoItem, """[Column("description")]""", """[Column("description"), NotMapped]""")
        .Edit(TodoItem, "public class TodoItem", "public class {|SM2001:TodoItem|}")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2001_not_for_a_property_kept_as_a_shadow_property() => TodoModelSources.Load()
        .Edit(TodoItem, """
                [MaxLength(1000)]
                [Column("description")]
                public string? Description { get; set; }
            """, string.Empty)
        .Edit(Context, "task.Property(t => t.CreatedAt)", "task.Property<string?>(\"Description\").HasMaxLength(1000).HasColumnName(\"description\");\n                task.Property(t => t.CreatedAt)")
        .VerifyAsync();

    [TestMethod]
    public Task SM2002_a_renamed_property_with_a_new_column_is_reported_on_the_new_property() => TodoModelSources.Load()
        .Edit(TodoItem, """
                [Column("title")]
                public string Title { get; set; } = string.Empty;
            """, """
                [Column("name")]
                public string {|SM2002:Name|} { get; set; } = string.Empty;
            """)
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2002_not_when_the_renamed_property_keeps_the_old_column() => TodoModelSources.Load()
        .Edit(TodoItem, "public string Title { get; set; }", "public string Name { get; set; }")
        .VerifyAsync();

    [TestMethod]
    public Task SM2002_a_column_renamed_through_HasColumnName_is_reported_on_the_property() => TodoModelSources.Load()
        .Edit(TodoItem, "public string Title { get; set; }", "public string {|SM2002:Title|} { get; set; }")
        .Edit(Context, "task.Property(t => t.CreatedAt)", "task.Property(t => t.Title).HasColumnName(\"name\");\n                task.Property(t => t.CreatedAt)")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2003_a_new_required_property_without_default_is_reported() => TodoModelSources.Load()
        .Edit(TodoItem, "    [Column(\"created_at\")]", """
                [Column("estimate_minutes")]
                public int {|SM2003:EstimateMinutes|} { get; set; }

                [Column("created_at")]
            """)
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2003_not_for_a_nullable_property_or_one_with_a_database_default() => TodoModelSources.Load()
        .Edit(TodoItem, "    [Column(\"created_at\")]", """
                [Column("estimate_minutes")]
                public int? EstimateMinutes { get; set; }

                [Column("effort")]
                public int Effort { get; set; }

                [Column("created_at")]
            """)
        .Edit(Context, "task.Property(t => t.CreatedAt)", "task.Property(t => t.Effort).HasDefaultValue(1);\n                task.Property(t => t.CreatedAt)")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2004_a_changed_property_type_is_reported() => TodoModelSources.Load()
        .Edit(TodoItem, "public bool Completed { get; set; }", "public int {|SM2004:Completed|} { get; set; }")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2004_an_enum_compares_as_its_underlying_type_and_a_string_conversion_is_a_change() => TodoModelSources.Load()
        .Edit(TodoItem, "public TodoPriority Priority { get; set; }", "public TodoPriority {|SM2004:Priority|} { get; set; }")
        .Edit(Context, "task.Property(t => t.Priority).HasDefaultValue", "task.Property(t => t.Priority).HasConversion<string>().HasDefaultValue")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2005_a_lower_max_length_is_reported_a_higher_one_is_not() => TodoModelSources.Load()
        .Edit(TodoItem, """
                [MaxLength(255)]
                [Column("title")]
                public string Title
            """, """
                [MaxLength(100)]
                [Column("title")]
                public string {|SM2005:Title|}
            """)
        .Edit(TodoItem, "[MaxLength(1000)]", "[StringLength(2000)]")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2005_from_an_entity_type_configuration_class_at_its_call() => TodoModelSources.Load()
        .Edit(Context, "modelBuilder.Entity<User>(", "modelBuilder.ApplyConfigurationsFromAssembly(typeof(TodoDbContext).Assembly);\n        modelBuilder.Entity<User>(")
        .Add("Data/TodoItemConfiguration.cs", """
            using Microsoft.EntityFrameworkCore;
            using Microsoft.EntityFrameworkCore.Metadata.Builders;
            using Todo.Backend.Models;

            namespace Todo.Backend.Data;

            public sealed class TodoItemConfiguration : IEntityTypeConfiguration<TodoItem>
            {
                public void Configure(EntityTypeBuilder<TodoItem> builder) => builder.Property(t => t.Title).{|SM2005:HasMaxLength|}(80);
            }
            """)
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2005_a_fluent_HasMaxLength_is_reported_at_the_call_that_changed() => TodoModelSources.Load()
        .Edit(Context, "user.Property(u => u.CreatedAt).HasDefaultValueSql(\"now()\");", "user.Property(u => u.CreatedAt).HasDefaultValueSql(\"now()\");\n            user.Property(u => u.FullName).{|SM2005:HasMaxLength|}(100);")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2006_a_fluent_IsRequired_is_reported_at_the_call_that_changed() => TodoModelSources.Load()
        .Edit(Context, "user.Property(u => u.CreatedAt).HasDefaultValueSql(\"now()\");", "user.Property(u => u.CreatedAt).HasDefaultValueSql(\"now()\");\n            user.Property(u => u.FullName).{|SM2006:IsRequired|}();")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2006_a_nullable_property_made_required_is_reported() => TodoModelSources.Load()
        .Edit(User, "public string? FullName { get; set; }", "public string {|SM2006:FullName|} { get; set; } = string.Empty;")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2006_Required_on_a_nullable_reference_is_reported_too() => TodoModelSources.Load()
        .Edit(TodoItem, """
                [MaxLength(1000)]
                [Column("description")]
                public string? Description
            """, """
                [Required]
                [MaxLength(1000)]
                [Column("description")]
                public string? {|SM2006:Description|}
            """)
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2007_an_ignored_entity_is_reported_on_the_context() => TodoModelSources.Load()
        .Edit(Context, "public DbSet<TodoItem> TodoItems => Set<TodoItem>();", string.Empty)
        .Edit(Context, "task.Property(t => t.UpdatedAt).HasDefaultValueSql(\"now()\");\n        });", "task.Property(t => t.UpdatedAt).HasDefaultValueSql(\"now()\");\n        });\n        modelBuilder.Ignore<TodoItem>();")
        .MarkContext("{|SM2007:{|SM2009:TodoDbContext|}|}")
        .VerifyAsync();

    [TestMethod]
    public Task SM2007_not_while_a_navigation_still_reaches_the_entity() => TodoModelSources.Load()
        .Edit(Context, "public DbSet<TodoItem> TodoItems => Set<TodoItem>();", string.Empty)
        .VerifyAsync();

    [TestMethod]
    public Task SM2008_a_changed_table_attribute_is_reported_on_the_class() => TodoModelSources.Load()
        .Edit(TodoItem, "[Table(\"todo_items\")]\npublic class TodoItem", "[Table(\"tasks\")]\npublic class {|SM2008:TodoItem|}")
        .MarkContext(Pending)
        .VerifyAsync();

    [TestMethod]
    public Task SM2008_not_when_the_class_is_renamed_but_keeps_its_table() => TodoModelSources.Load()
        .Edit(TodoItem, "public class TodoItem", "public class TaskItem")
        .Edit(Context, "public DbSet<TodoItem> TodoItems => Set<TodoItem>();", "public DbSet<TaskItem> TodoItems => Set<TaskItem>();")
        .Edit(Context, "modelBuilder.Entity<TodoItem>(", "modelBuilder.Entity<TaskItem>(")
        .Edit(Context, "ChangeTracker.Entries<TodoItem>()", "ChangeTracker.Entries<TaskItem>()")
        .Edit(User, "public List<TodoItem> Tasks", "public List<TaskItem> Tasks")
        .VerifyAsync();

    [TestMethod]
    public Task SM2008_a_renamed_class_under_conventions_renames_the_table() => TodoModelSources.Load()
        .Edit(TodoItem, "[Table(\"todo_items\")]\npublic class TodoItem", "public class {|SM2008:TaskItem|}")
        .Edit(Context, "public DbSet<TodoItem> TodoItems => Set<TodoItem>();", "public DbSet<TaskItem> Tasks => Set<TaskItem>();")
        .Edit(Context, "modelBuilder.Entity<TodoItem>(", "modelBuilder.Entity<TaskItem>(")
        .Edit(Context, "ChangeTracker.Entries<TodoItem>()", "ChangeTracker.Entries<TaskItem>()")
        .Edit(User, "public List<TodoItem> Tasks", "public List<TaskItem> Tasks")
        .MarkContext(Pending)
        .VerifyAsync();
}
