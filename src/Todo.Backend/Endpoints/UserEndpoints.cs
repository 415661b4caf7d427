using Microsoft.EntityFrameworkCore;
using Npgsql;
using Todo.Backend.Data;
using Todo.Backend.Models;

namespace Todo.Backend.Endpoints;

public static class UserEndpoints
{
    public static RouteGroupBuilder MapUserEndpoints(this IEndpointRouteBuilder routes)
    {
        var users = routes.MapGroup("/api/users").WithTags("Users");
        users.MapGet("/", async (TodoDbContext db, CancellationToken cancellationToken) =>
            Results.Ok(await db.Users.AsNoTracking().OrderBy(u => u.Id).Select(u => UserResponse.From(u)).ToListAsync(cancellationToken)));
        users.MapGet("/{id:int}", async (int id, TodoDbContext db, CancellationToken cancellationToken) =>
            await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken) is { } user
                ? Results.Ok(UserResponse.From(user))
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "User not found", detail: $"No user has id {id}."));
        users.MapPost("/", CreateAsync);
        return users;
    }

    private static async Task<IResult> CreateAsync(UserCreate? body, TodoDbContext db, CancellationToken cancellationToken)
    {
        if (RequestValidation.Validate(body) is { } invalid)
        {
            return invalid;
        }

        var user = new User { Email = body!.Email.Trim().ToLowerInvariant(), FullName = body.FullName, HashedPassword = PasswordHasher.Hash(body.Password) };
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "E-mail already registered", detail: $"A user with e-mail {user.Email} exists.");
        }

        return Results.Created($"/api/users/{user.Id}", UserResponse.From(user));
    }
}
