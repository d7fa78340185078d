using Convor.Application.Common.Telemetry;
using Convor.Domain.Common;
using Convor.Domain.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Convor.Infrastructure.Webhooks;

/// <summary>
/// One instance's delivery loop. It claims due deliveries of endpoints it is not already
/// sending to, and gives each endpoint one worker that sends that endpoint's deliveries one
/// after another; up to <see cref="WebhookOptions.MaxConcurrentEndpoints"/> endpoints are
/// served at once, so a slow receiver holds up only itself. It never loads an aggregate: it
/// reads outbox rows and endpoint secrets, and writes attempts.
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes,
    WebhookSender sender,
    WebhookSecretProtector secrets,
    WebhookOutbox outbox,
    WebhookDispatchSignal signal,
    TimeProvider clock,
    IOptions<WebhookOptions> options,
    ConvorMetrics metrics,
    ILogger<WebhookDispatcher> logger)
{
    /// <summary>How often the backlog gauges are refreshed (two small queries), whatever the poll interval.</summary>
    private static readonly TimeSpan BacklogReportInterval = TimeSpan.FromSeconds(5);

    private DateTimeOffset backlogReportedAt = DateTimeOffset.MinValue;

    /// <summary>A worker stops sending (and gives the rest back) when its lease has less than this left beyond the request timeout.</summary>
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var workers = new Dictionary<WebhookEndpointId, Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                foreach (var done in workers.Where(w => w.Value.IsCompleted).Select(w => w.Key).ToList()) workers.Remove(done);
                var wake = signal.Next;
                var free = options.Value.MaxConcurrentEndpoints - workers.Count;
                var claimedFull = false;
                if (free > 0)
                {
                    try
                    {
                        claimedFull = await ClaimAndStartAsync(workers, free, stoppingToken);
                    }
                    catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                    {
                        // The database may be away for a while; the next round tries again.
                        LogClaimFailed(logger, exception);
                    }
                }
                if (claimedFull && workers.Count < options.Value.MaxConcurrentEndpoints) continue;

                var waits = new List<Task> { wake, Task.Delay(TimeSpan.FromMilliseconds(options.Value.PollIntervalMilliseconds), clock, stoppingToken) };
                if (workers.Count > 0) waits.Add(Task.WhenAny(workers.Values));
                await Task.WhenAny(waits);
            }
        }
        finally
        {
            // Workers see the same token: each records what it sent and gives back what it did not.
            await Task.WhenAll(workers.Values);
        }
    }

    /// <summary>Claims and starts workers; true when the claim was full (more may be due at once).</summary>
    private async Task<bool> ClaimAndStartAsync(Dictionary<WebhookEndpointId, Task> workers, int freeWorkers, CancellationToken stoppingToken)
    {
        var batchSize = options.Value.BatchSize;
        IReadOnlyList<ClaimedDelivery> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<WebhookDeliveryStore>();
            await ReportBacklogAsync(store, stoppingToken);
            // Not cancelled by the stop: a claim is an UPDATE that stamps the leases and a SELECT
            // that reads them back, and a stop between the two would leave rows leased by nobody
            // for LeaseSeconds, holding their endpoint's deliveries back after a restart. The
            // claim is bounded by the command timeout; what a stopping instance claimed goes back.
            claimed = await store.ClaimAsync(workers.Keys, batchSize, CancellationToken.None);
        }
        if (claimed.Count == 0) return false;
        if (stoppingToken.IsCancellationRequested)
        {
            await ReleaseAsync(claimed.ToList());
            return false;
        }

        var byEndpoint = claimed.GroupBy(d => d.EndpointId).ToList();
        foreach (var group in byEndpoint.Take(freeWorkers))
        {
            var deliveries = group.ToList();
            workers[group.Key] = Task.Run(() => SendAllAsync(deliveries, stoppingToken), CancellationToken.None);
        }
        var surplus = byEndpoint.Skip(freeWorkers).SelectMany(g => g).ToList();
        if (surplus.Count > 0) await ReleaseAsync(surplus);
        return claimed.Count == batchSize;
    }

    private async Task ReportBacklogAsync(WebhookDeliveryStore store, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now - backlogReportedAt < BacklogReportInterval) return;
        backlogReportedAt = now;
        var (pending, oldestQueuedAt) = await store.BacklogAsync(cancellationToken);
        metrics.ReportOutboxBacklog(pending, oldestQueuedAt is { } oldest && oldest < now ? now - oldest : TimeSpan.Zero);
    }

    private async Task SendAllAsync(List<ClaimedDelivery> deliveries, CancellationToken stoppingToken)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.RequestTimeoutSeconds);
        for (var i = 0; i < deliveries.Count; i++)
        {
            var delivery = deliveries[i];
            if (stoppingToken.IsCancellationRequested || delivery.LeaseUntil - clock.GetUtcNow() < timeout + LeaseMargin)
            {
                await ReleaseAsync(deliveries.Skip(i).ToList());
                return;
            }
            try
            {
                if (await SendOneAsync(delivery, stoppingToken))
                {
                    // The endpoint is off now: the rest stays pending for when it is turned on again.
                    await ReleaseAsync(deliveries.Skip(i + 1).ToList());
                    return;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogSendFailed(logger, delivery.Id.ToString(), exception);
            }
            catch (OperationCanceledException)
            {
                await ReleaseAsync(deliveries.Skip(i).ToList());
                return;
            }
        }
    }

    /// <summary>Sends and records one attempt; true when it disabled the endpoint.</summary>
    private async Task<bool> SendOneAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        var attemptedAt = clock.GetUtcNow();
        var signing = WebhookEndpoint.SigningSecrets(delivery.ProtectedSecret, delivery.PreviousProtectedSecret, delivery.PreviousSecretExpiresAt, attemptedAt)
            .Select(secrets.Unprotect).ToList();
        var result = await sender.SendAsync(delivery.Url, delivery.EventId.ToString("D"), delivery.Payload, signing, delivery.Attempts + 1, stoppingToken);
        metrics.WebhookDeliveryAttempted(result.Succeeded ? "succeeded" : result.Gone ? "gone" : result.StatusCode is null ? "no_answer" : "failed");

        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<WebhookDeliveryStore>();
        // Recorded even while stopping: the attempt happened, and must not be made twice. The
        // endpoint first, so that a delivery seen failed by a 410 has its endpoint off already.
        var disabled = await store.RecordEndpointOutcomeAsync(delivery.EndpointId, result, attemptedAt, CancellationToken.None);
        if (disabled)
        {
            outbox.Forget(delivery.OrganizationId);
            LogEndpointDisabled(logger, delivery.EndpointId.ToString(), result.StatusCode);
        }
        if (!await store.RecordAsync(delivery, result, attemptedAt, Random.Shared.NextDouble(), CancellationToken.None))
            LogLeaseLost(logger, delivery.Id.ToString());
        return disabled;
    }

    private async Task ReleaseAsync(List<ClaimedDelivery> deliveries)
    {
        if (deliveries.Count == 0) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<WebhookDeliveryStore>();
            foreach (var lease in deliveries.GroupBy(d => d.LeaseToken))
                await store.ReleaseAsync(lease.Select(d => d.Id).ToList(), lease.Key, CancellationToken.None);
        }
        catch (Exception exception)
        {
            // Not fatal: the leases run out by themselves.
            LogReleaseFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook dispatcher could not claim deliveries; retrying")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} could not be sent or recorded")]
    private static partial void LogSendFailed(ILogger logger, string deliveryId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId}: lease lost before the attempt was recorded; another instance has it")]
    private static partial void LogLeaseLost(ILogger logger, string deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} disabled (last status {StatusCode})")]
    private static partial void LogEndpointDisabled(ILogger logger, string endpointId, int? statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook dispatcher could not give claimed deliveries back; their leases will run out")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);
}
