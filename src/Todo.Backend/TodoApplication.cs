using Microsoft.EntityFrameworkCore;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SafeMigrations.Runtime;
using Todo.Backend.Data;
using Todo.Backend.Endpoints;

namespace Todo.Backend;

/// <summary>Composes the web application; <see cref="Program"/> and the tests start it the same way.</summary>
public static class TodoApplication
{
    public const string ConnectionStringName = "Todo";

    public static WebApplication Build(string[] args, string connectionString, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddDbContext<TodoDbContext>(options => options.UseNpgsql(connectionString));
        builder.Services.AddScoped<TodoSeeder>();
        builder.Services.AddProblemDetails();
        // The runner's meter and activity source (SafeMigrationsTelemetry), served to Prometheus at /metrics.
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(SafeMigrationsTelemetry.Name).AddPrometheusExporter())
            .WithTracing(tracing => tracing.AddSource(SafeMigrationsTelemetry.Name));
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapPrometheusScrapingEndpoint();
        app.MapGet("/health", async (TodoDbContext db, CancellationToken cancellationToken) =>
            await db.Database.CanConnectAsync(cancellationToken)
                ? Results.Ok(new { status = "ok" })
                : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Database unreachable"));
        app.MapUserEndpoints();
        app.MapTaskEndpoints();
        return app;
    }

    /// <summary>
    /// Applies pending migrations with SafeMigrations' runner (advisory lock, timeouts with retries, audit trail,
    /// integrity checks) and seeds; returns the ids of the migrations applied now.
    /// </summary>
    public static async Task<DatabasePreparation> PrepareDatabaseAsync(IServiceProvider services, string adminPassword, CancellationToken cancellationToken = default)
    {
        // Metrics start with their provider, which the host would create only once it starts: the migrations run before.
        _ = services.GetService<OpenTelemetry.Metrics.MeterProvider>();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TodoDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Todo.Backend.Migrations");
        var migrated = await db.Database.SafeMigrateAsync(new SafeMigrationOptions { Logger = logger, Command = "startup" }, cancellationToken);
        var pending = migrated.Steps.Select(step => step.MigrationId).ToList();
        var seed = await scope.ServiceProvider.GetRequiredService<TodoSeeder>().SeedAsync(adminPassword, cancellationToken);
        return new DatabasePreparation(pending, seed);
    }
}

public sealed record DatabasePreparation(IReadOnlyList<string> AppliedMigrations, TodoSeeder.Result Seed);
