using Convor.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace Convor.Api;

/// <summary>
/// Before Kestrel accepts requests: apply pending migrations (unless migrations are applied
/// out of band), and in Development give an empty database the demo organization.
/// </summary>
internal sealed partial class DatabaseStartup(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    IHostEnvironment environment,
    ILogger<DatabaseStartup> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (options.Value.MigrateOnStartup)
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().MigrateAsync(cancellationToken);
            LogMigrated(logger, options.Value.Provider);
        }

        if (environment.IsDevelopment())
        {
            var demo = await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedIfEmptyAsync(cancellationToken);
            if (demo is not null)
            {
                // Straight to the console, never through the logger: keys must not reach log sinks.
                await Console.Out.WriteLineAsync(
                    $"Demo organization {demo.OrgId} created. Demo API key (shown once): {demo.ApiKey}");
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is current ({Provider})")]
    private static partial void LogMigrated(ILogger logger, DatabaseProvider provider);
}
