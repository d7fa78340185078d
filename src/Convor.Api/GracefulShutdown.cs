using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Convor.Api;

/// <summary>Configuration section <c>Shutdown</c>.</summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>
    /// Longest a stop (SIGTERM, Ctrl-C) waits for requests in flight and the current background
    /// batch before the process exits anyway. Keep it under the orchestrator's kill timeout.
    /// </summary>
    [Range(1, 3600)]
    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>
/// On SIGTERM the host stops taking connections (Kestrel closes its listeners, so the load
/// balancer sends new requests elsewhere), lets the requests in flight finish with their real
/// answers, stops the background loops after their current batch, and exits, all within
/// <see cref="ShutdownOptions.TimeoutSeconds"/>. Background loops pass the stopping token only
/// to their wait between batches, never into a batch (see docs/deployment.md).
/// </summary>
internal static class GracefulShutdown
{
    public static IServiceCollection AddGracefulShutdown(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ShutdownOptions>().Bind(configuration.GetSection(ShutdownOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(shutdown.Value.TimeoutSeconds));
        return services;
    }
}

/// <summary>Not ready once stopping: a load balancer that probes an open connection takes the instance out at once.</summary>
internal sealed class NotStoppingHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("The instance is shutting down.")
            : HealthCheckResult.Healthy());
}
