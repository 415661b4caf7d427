using Microsoft.EntityFrameworkCore;
using Todo.Backend.Data;
using Todo.Backend.Models;

namespace Todo.Backend.Endpoints;

public static class TaskEndpoints
{
    public const int MaxPageSize = 500;

    public static RouteGroupBuilder MapTaskEndpoints(this IEndpointRouteBuilder routes)
    {
        var tasks = routes.MapGroup("/api/tasks").WithTags("Tasks");
        tasks.MapGet("/", ListAsync);
        tasks.MapGet("/{id:int}", GetAsync);
        tasks.MapPost("/", CreateAsync);
        tasks.MapPut("/{id:int}", UpdateAsync);
        tasks.MapDelete("/{id:int}", DeleteAsync);
        return tasks;
    }

    private static async Task<IResult> ListAsync(TodoDbContext db, int? ownerId, bool? completed, int skip = 0, int limit = 100, CancellationToken cancellationToken = default)
    {
        if (skip < 0 || limit is < 1 or > MaxPageSize)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["paging"] = [$"skip must be >= 0 and limit between 1 and {MaxPageSize}."],
            });
        }

        var query = db.TodoItems.AsNoTracking();
        if (ownerId is not null)
        {
            query = query.Where(t => t.OwnerId == ownerId);
        }

        if (completed is not null)
        {
            query = query.Where(t => t.Completed == completed);
        }

        var count = await query.CountAsync(cancellationToken);
        var page = await query.OrderBy(t => t.Id).Skip(skip).Take(limit).ToListAsync(cancellationToken);
        return Results.Ok(new TaskPage(page.Select(TaskResponse.From).ToList(), count));
    }

    private static async Task<IResult> GetAsync(int id, TodoDbContext db, CancellationToken cancellationToken)
    {
        var task = await db.TodoItems.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        return task is null ? TaskNotFound(id) : Results.Ok(TaskResponse.From(task));
    }

    private static async Task<IResult> CreateAsync(TaskCreate? body, TodoDbContext db, CancellationToken cancellationToken)
    {
        if (RequestValidation.Validate(body) is { } invalid)
        {
            return invalid;
        }

        var request = body!;
        if (!await db.Users.AnyAsync(u => u.Id == request.OwnerId, cancellationToken))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["ownerId"] = [$"User {request.OwnerId} does not exist."] });
        }

        var task = new TodoItem
        {
            Title = request.Title,
            Description = request.Description,
            OwnerId = request.OwnerId,
            Priority = request.Priority ?? TodoPriority.Medium,
            DueDate = request.DueDate,
        };
        db.TodoItems.Add(task);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Created($"/api/tasks/{task.Id}", TaskResponse.From(task));
    }

    private static async Task<IResult> UpdateAsync(int id, TaskUpdate? body, TodoDbContext db, CancellationToken cancellationToken)
    {
        if (RequestValidation.Validate(body) is { } invalid)
        {
            return invalid;
        }

        var task = await db.TodoItems.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (task is null)
        {
            return TaskNotFound(id);
        }

        task.Title = body!.Title ?? task.Title;
        task.Description = body.Description ?? task.Description;
        task.Completed = body.Completed ?? task.Completed;
        task.Priority = body.Priority ?? task.Priority;
        task.DueDate = body.DueDate ?? task.DueDate;
        await db.SaveChangesAsync(cancellationToken);
        return Results.Ok(TaskResponse.From(task));
    }

    private static async Task<IResult> DeleteAsync(int id, TodoDbContext db, CancellationToken cancellationToken)
    {
        var deleted = await db.TodoItems.Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? TaskNotFound(id) : Results.NoContent();
    }

    private static IResult TaskNotFound(int id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Task not found", detail: $"No task has id {id}.");
}
