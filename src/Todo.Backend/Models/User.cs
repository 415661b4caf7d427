using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;

namespace Todo.Backend.Models;

[Table("users")]
[Index(nameof(Email), IsUnique = true)]
public class User
{
    [Column("id")]
    public int Id { get; set; }

    [Required]
    [MaxLength(255)]
    [Column("email")]
    public string Email { get; set; } = string.Empty;

    [MaxLength(255)]
    [Column("full_name")]
    public string? FullName { get; set; }

    [Required]
    [Column("hashed_password")]
    public string HashedPassword { get; set; } = string.Empty;

    [Column("is_active")]
    public bool IsActive { get; set; } = true;

    [Column("created_at")]
    public DateTimeOffset CreatedAt { get; set; }

    public List<TodoItem> Tasks { get; set; } = [];
}
