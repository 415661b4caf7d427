using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafeMigrations.Runtime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>For apps that migrate at startup: <c>services.AddSafeMigrations&lt;AppDbContext&gt;()</c>.</summary>
public static class SafeMigrationsServiceCollectionExtensions
{
    /// <summary>
    /// Applies <typeparamref name="TContext"/>'s migrations before the host starts serving (a hosted service
    /// registered here starts before those registered later, e.g. the web server). Every instance may run it:
    /// the advisory lock lets one apply while the others wait and then find nothing to do.
    /// Configure with a with-expression: <c>AddSafeMigrations&lt;AppDbContext&gt;(o =&gt; o with { Phase = SafeMigrations.Core.Model.MigrationPhase.Expand })</c>.
    /// </summary>
    public static IServiceCollection AddSafeMigrations<TContext>(this IServiceCollection services, Func<SafeMigrationOptions, SafeMigrationOptions>? configure = null)
        where TContext : DbContext
    {
        services.AddHostedService(provider => new SafeMigrationsHostedService<TContext>(provider, configure));
        return services;
    }
}

internal sealed class SafeMigrationsHostedService<TContext>(IServiceProvider provider, Func<SafeMigrationOptions, SafeMigrationOptions>? configure) : IHostedService
    where TContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = provider.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        var logger = scope.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("SafeMigrations.Runtime");
        var options = new SafeMigrationOptions { Logger = logger, Command = "startup" };
        await context.Database.SafeMigrateAsync(configure is null ? options : configure(options), cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
