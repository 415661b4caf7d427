using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Todo.Backend.Migrations
{
    /// <inheritdoc />
    public partial class AddTodoPriority : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "priority",
                table: "todo_items",
                type: "integer",
                nullable: false,
                defaultValue: 2);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "priority",
                table: "todo_items");
        }
    }
}
