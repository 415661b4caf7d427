using SafeMigrations.Core.Model;

namespace SafeMigrations.Design.Tests
{
    /// <summary>How the host points a finding at a migration's source: the file, the class, the n-th MigrationBuilder call of Up, an attribute.</summary>
    [TestClass]
    public sealed class MigrationSourceMapTests
    {
        private const string Migration = """
            using Microsoft.EntityFrameworkCore.Migrations;

            namespace SourceMapSample.Orders
            {
                [SafeMigrations.SuppressMigrationRule("SM1011", Justification = "The column was unmapped a release ago.")]
                public partial class AddPriority : Migration
                {
                    protected override void Up(MigrationBuilder mb)
                    {
                        // mb.DropColumn(name: "Notes", table: "Orders"); a comment is not a call
                        mb.Sql("SELECT 1; -- mb.AddColumn<int>(\"x\")");
                        mb.AddColumn<int>(
                            name: "Priority", table: "Orders", nullable: false, defaultValue: 0);
                        foreach (var table in new[] { "A", "B" }) { Helper(mb, table); }
                        mb . DropColumn (name: "Notes", table: "Orders");
                    }

                    protected override void Down(MigrationBuilder mb)
                    {
                        mb.AddColumn<string>(name: "Notes", table: "Orders", nullable: true);
                    }
                }
            }
            """;

        private const string Designer = """
            namespace SourceMapSample.Orders
            {
                [Migration("20260101000000_AddPriority")]
                partial class AddPriority
                {
                    protected override void BuildTargetModel(ModelBuilder modelBuilder) { }
                }
            }
            """;

        private const string OtherNamespace = """
            namespace SourceMapSample.Billing
            {
                public class AddPriority : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("Invoices");
                }
            }
            """;

        public TestContext TestContext { get; set; } = null!;

        [TestMethod]
        public void Each_operation_points_at_its_call_in_order_and_one_no_call_matches_points_at_Up()
        {
            using var project = Project();
            var map = new MigrationSourceMap(project.Path);

            var locations = map.UpOperationLocations(typeof(SourceMapSample.Orders.AddPriority), ["Sql", "AddColumn", "CreateIndex", "CreateIndex", "DropColumn"]);

            var file = Path.Combine(project.Path, "Migrations", "20260101000000_AddPriority.cs");
            Assert.AreEqual(new SourceLocation(file, 11, 13), locations[0]);
            Assert.AreEqual(new SourceLocation(file, 12, 13), locations[1], "a generic call, over two lines, found at its start");
            Assert.AreEqual(new SourceLocation(file, 8, 19), locations[2], "built by a helper: Up's location (its override)");
            Assert.AreEqual(new SourceLocation(file, 8, 19), locations[3]);
            Assert.AreEqual(new SourceLocation(file, 15, 13), locations[4], "the commented-out DropColumn is not a call; spaces around the dot are");
        }

        [TestMethod]
        public void The_class_is_found_in_its_own_file_and_namespace_never_in_the_Designer_or_the_build_output()
        {
            using var project = Project();
            var map = new MigrationSourceMap(project.Path);

            Assert.AreEqual(Path.Combine(project.Path, "Migrations", "20260101000000_AddPriority.cs"), map.FileOf(typeof(SourceMapSample.Orders.AddPriority)));
            Assert.AreEqual(Path.Combine(project.Path, "Billing", "AddPriority.cs"), map.FileOf(typeof(SourceMapSample.Billing.AddPriority)));
            Assert.AreEqual(new SourceLocation(Path.Combine(project.Path, "Migrations", "20260101000000_AddPriority.cs"), 6, 20), map.ClassLocation(typeof(SourceMapSample.Orders.AddPriority)));
            Assert.IsNull(map.FileOf(typeof(MigrationSourceMapTests)), "a class no source declares");
        }

        [TestMethod]
        public void A_suppression_attribute_is_found_by_its_rule_id()
        {
            using var project = Project();
            var map = new MigrationSourceMap(project.Path);

            Assert.AreEqual(
                new SourceLocation(Path.Combine(project.Path, "Migrations", "20260101000000_AddPriority.cs"), 5, 5),
                map.AttributeLocation(typeof(SourceMapSample.Orders.AddPriority), "SuppressMigrationRule", "SM1011"));
            Assert.IsNull(map.AttributeLocation(typeof(SourceMapSample.Orders.AddPriority), "SuppressMigrationRule", "SM1002"));
        }

        [TestMethod]
        public void Without_a_project_folder_nothing_is_located_and_nothing_throws()
        {
            var map = new MigrationSourceMap(Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N")));

            Assert.IsNull(map.FileOf(typeof(SourceMapSample.Orders.AddPriority)));
            Assert.IsTrue(map.UpOperationLocations(typeof(SourceMapSample.Orders.AddPriority), ["AddColumn"]).All(l => l is null));
        }

        private TemporaryProject Project()
        {
            var project = new TemporaryProject(Path.Combine(Path.GetTempPath(), "sourcemap-" + TestContext.TestName + "-" + Guid.NewGuid().ToString("N")[..8]));
            project.Write("Migrations/20260101000000_AddPriority.cs", Migration);
            project.Write("Migrations/20260101000000_AddPriority.Designer.cs", Designer);
            project.Write("Billing/AddPriority.cs", OtherNamespace);
            project.Write("obj/Debug/Generated/AddPriority.cs", Migration); // build output is never a source
            return project;
        }

        private sealed class TemporaryProject(string path) : IDisposable
        {
            public string Path { get; } = path;

            public void Write(string relative, string content)
            {
                var file = System.IO.Path.Combine(Path, relative);
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
                File.WriteAllText(file, content);
            }

            public void Dispose() => Directory.Delete(Path, recursive: true);
        }
    }
}

// Types named as the sample sources declare them: the map finds source by a type's name and namespace.
namespace SourceMapSample.Orders
{
    internal sealed class AddPriority;
}

namespace SourceMapSample.Billing
{
    internal sealed class AddPriority;
}
