using Convor.Infrastructure.Conversations;
using Microsoft.Extensions.Options;

namespace Convor.Api.Background;

/// <summary>Runs <see cref="SnoozeSweep"/> at start and then every <c>Snooze:SweepIntervalSeconds</c>.</summary>
internal sealed partial class SnoozeSweepService(
    SnoozeSweep sweep,
    IOptions<SnoozeOptions> options,
    TimeProvider clock,
    ILogger<SnoozeSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SweepEnabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds), clock);
        try
        {
            do
            {
                try
                {
                    // Not the stopping token: a stop lets the current batch finish (bounded by
                    // Shutdown:TimeoutSeconds), then ends the loop at its next wait.
                    var woken = await sweep.SweepOnceAsync(CancellationToken.None);
                    if (woken > 0) LogWoken(logger, woken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database may be away for a while; the next tick tries again.
                    LogFailed(logger, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Snooze sweep woke {Count} conversations")]
    private static partial void LogWoken(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snooze sweep failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

public static class SnoozeSweepSetup
{
    /// <summary>Options <c>Snooze:*</c>, the single-pass sweep, and the background loop that runs it.</summary>
    public static IServiceCollection AddSnoozeSweep(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SnoozeOptions>().Bind(configuration.GetSection(SnoozeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SnoozeSweep>();
        services.AddHostedService<SnoozeSweepService>();
        return services;
    }
}
