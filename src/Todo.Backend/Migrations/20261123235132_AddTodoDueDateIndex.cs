using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Todo.Backend.Migrations
{
    /// <inheritdoc />
    public partial class AddTodoDueDateIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_todo_items_due_date",
                table: "todo_items",
                column: "due_date")
                .Annotation("Npgsql:CreatedConcurrently", true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_todo_items_due_date",
                table: "todo_items");
        }
    }
}
