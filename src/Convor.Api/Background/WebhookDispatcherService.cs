using System.Security.Cryptography;
using Convor.Infrastructure.Persistence;
using Convor.Infrastructure.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Convor.Api.Background;

/// <summary>Hosts this instance's webhook dispatcher loop (<c>Webhooks:DispatcherEnabled</c>).</summary>
internal sealed class WebhookDispatcherService(WebhookDispatcher dispatcher, IOptions<WebhookOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatcherEnabled) return;
        try
        {
            await dispatcher.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}

/// <summary>
/// At start, after migrations: outside Development, refuse to run without
/// <c>Webhooks:SecretEncryptionKey</c> once any endpoint exists (its secret could not be read,
/// so nothing could be signed).
/// </summary>
internal sealed class WebhookSecretKeyCheck(IServiceScopeFactory scopes, IOptions<WebhookOptions> options) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (WebhookSecretProtector.IsValidKey(options.Value.SecretEncryptionKey)) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        bool anyEndpoint;
        try
        {
            anyEndpoint = await db.WebhookEndpoints.IgnoreQueryFilters().AnyAsync(cancellationToken);
        }
        catch (System.Data.Common.DbException)
        {
            // Schema not migrated yet (migrations applied out of band) or database away: there is
            // nothing to check now; the API starts and reports not ready as it always does.
            return;
        }
        if (anyEndpoint)
            throw new InvalidOperationException(
                "Webhooks:SecretEncryptionKey is not set, but webhook endpoints exist: their secrets cannot be read. Set it to the base64 of 32 random bytes (the key they were saved with).");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class WebhookSetup
{
    /// <summary>File, next to the binaries, of the key Development generates when none is configured.</summary>
    public const string DevelopmentKeyFile = "webhook-secret-encryption.dev.key";

    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.IsDevelopment() && string.IsNullOrWhiteSpace(configuration[$"{WebhookOptions.Section}:{nameof(WebhookOptions.SecretEncryptionKey)}"]))
        {
            var key = DevelopmentKey(Path.Combine(environment.ContentRootPath, DevelopmentKeyFile), out var path);
            services.PostConfigure<WebhookOptions>(o => o.SecretEncryptionKey = key);
            // Straight to the console: it says where the key is, never the key itself.
            Console.WriteLine($"Webhooks:SecretEncryptionKey is not set: Development uses a generated key kept in {path}. Set it in every other environment.");
        }
        services.AddHostedService<WebhookSecretKeyCheck>();
        services.AddHostedService<WebhookDispatcherService>();
        return services;
    }

    private static string DevelopmentKey(string path, out string fullPath)
    {
        fullPath = Path.GetFullPath(path);
        if (File.Exists(fullPath) && File.ReadAllText(fullPath).Trim() is var existing && WebhookSecretProtector.IsValidKey(existing))
            return existing;
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(fullPath, key);
        return key;
    }
}
