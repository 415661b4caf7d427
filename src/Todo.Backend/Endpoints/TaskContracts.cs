using System.ComponentModel.DataAnnotations;
using Todo.Backend.Models;

namespace Todo.Backend.Endpoints;

public sealed record TaskCreate(
    [property: Required, StringLength(255, MinimumLength = 1)] string Title,
    [property: StringLength(1000)] string? Description,
    [property: Range(1, int.MaxValue)] int OwnerId,
    [property: EnumDataType(typeof(TodoPriority))] TodoPriority? Priority,
    DateTimeOffset? DueDate);

/// <summary>Partial update: only the fields present are changed.</summary>
public sealed record TaskUpdate(
    [property: StringLength(255, MinimumLength = 1)] string? Title,
    [property: StringLength(1000)] string? Description,
    bool? Completed,
    [property: EnumDataType(typeof(TodoPriority))] TodoPriority? Priority,
    DateTimeOffset? DueDate);

public sealed record TaskResponse(
    int Id, string Title, string? Description, bool Completed, TodoPriority Priority,
    DateTimeOffset? DueDate, int OwnerId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static TaskResponse From(TodoItem task) => new(
        task.Id, task.Title, task.Description, task.Completed, task.Priority,
        task.DueDate, task.OwnerId, task.CreatedAt, task.UpdatedAt);
}

public sealed record UserCreate(
    [property: Required, EmailAddress, StringLength(255)] string Email,
    [property: StringLength(255)] string? FullName,
    [property: Required, StringLength(128, MinimumLength = 8)] string Password);

public sealed record UserResponse(int Id, string Email, string? FullName, bool IsActive, DateTimeOffset CreatedAt)
{
    public static UserResponse From(User user) => new(user.Id, user.Email, user.FullName, user.IsActive, user.CreatedAt);
}

public sealed record TaskPage(IReadOnlyList<TaskResponse> Data, int Count);
