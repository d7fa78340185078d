using Convor.Application.Common.Abstractions;
using Convor.Infrastructure.Routing;
using Microsoft.Extensions.Options;

namespace Convor.Api.Background;

/// <summary>
/// Drains the routing queue at start, whenever a commit in this process may have made room
/// (<see cref="RoutingQueueSignal"/>), and at the latest every <c>Routing:DrainIntervalMilliseconds</c>
/// so that room made through another instance is used too, but never sooner than
/// <c>Routing:DrainSpacingMilliseconds</c> after the last pass (wake-ups in between are one).
/// Safe with several instances: see <see cref="RoutingDrain"/>.
/// </summary>
internal sealed partial class RoutingDrainService(
    RoutingDrain drain,
    RoutingQueueSignal signal,
    IOptions<RoutingOptions> options,
    ILogger<RoutingDrainService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DrainEnabled) return;
        var interval = TimeSpan.FromMilliseconds(options.Value.DrainIntervalMilliseconds);
        var spacing = TimeSpan.FromMilliseconds(options.Value.DrainSpacingMilliseconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var routed = await drain.DrainOnceAsync(stoppingToken);
                    if (routed > 0) LogRouted(logger, routed);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database may be away for a while; the next wake-up tries again.
                    LogFailed(logger, exception);
                }
                if (spacing > TimeSpan.Zero) await Task.Delay(spacing, stoppingToken);
                await signal.WaitAsync(interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing drain routed {Count} waiting conversations")]
    private static partial void LogRouted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing drain failed; retrying at the next wake-up")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

public static class RoutingDrainSetup
{
    /// <summary>Options <c>Routing:*</c>, the queue's wake-up signal, the drain and the background loop that runs it.</summary>
    public static IServiceCollection AddRoutingDrain(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RoutingOptions>().Bind(configuration.GetSection(RoutingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RoutingQueueSignal>();
        services.AddSingleton<IRoutingQueueSignal>(sp => sp.GetRequiredService<RoutingQueueSignal>());
        services.AddSingleton<RoutingDrain>();
        services.AddHostedService<RoutingDrainService>();
        return services;
    }
}
