using Convor.Application.Common.Idempotency;

namespace Convor.Api.Idempotency;

/// <summary>
/// Deletes expired idempotency keys every <c>Idempotency:PurgeIntervalSeconds</c>, in batches.
/// Expired keys are already ignored when a request arrives; purging only keeps the table small.
/// </summary>
internal sealed partial class IdempotencyPurgeService(
    IdempotencyCoordinator coordinator,
    IdempotencyOptions options,
    TimeProvider clock,
    ILogger<IdempotencyPurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.PurgeIntervalSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                // A stop lets the current batch finish; the loop ends at its next wait.
                var purged = await coordinator.PurgeExpiredAsync(CancellationToken.None);
                if (purged > 0) LogPurged(logger, purged);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be away; the next tick tries again.
                LogPurgeFailed(logger, exception.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} expired idempotency keys")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired idempotency keys failed ({ExceptionType}); retrying at the next interval")]
    private static partial void LogPurgeFailed(ILogger logger, string exceptionType);
}
