using System.Diagnostics.Metrics;

namespace Convor.Application.Common.Telemetry;

/// <summary>
/// Every metric instrument of Convor, on one meter named <see cref="MeterName"/>. Each tag is a
/// small closed set of words (a command's type name, an outcome, a partition kind): never an
/// id, a key, an address, an email or any text a caller sent. Request duration by route and
/// status is ASP.NET Core's own <c>http.server.request.duration</c>, not repeated here.
/// <para>
/// Parts that report state from a loop (the outbox dispatcher, the routing drain) call the
/// <c>Report…</c> methods; the observable gauges read the last reported value.
/// </para>
/// </summary>
public sealed class ConvorMetrics : IDisposable
{
    public const string MeterName = "Convor";

    private readonly Meter meter;
    private readonly Counter<long> commands;
    private readonly Counter<long> rateLimitRejections;
    private readonly Counter<long> webhookDeliveries;
    private readonly Counter<long> redisOutages;
    private long outboxBacklog;
    private double outboxOldestAgeSeconds;
    private long waitingConversations;
    private int redisFallingBack;

    public ConvorMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        meter = meterFactory.Create(MeterName);
        commands = meter.CreateCounter<long>("convor.commands", "{command}",
            "Commands handled, by command type and outcome (succeeded, or the exception type that ended it).");
        rateLimitRejections = meter.CreateCounter<long>("convor.rate_limit.rejections", "{request}",
            "Requests answered 429, by partition kind (api_key, client_address).");
        webhookDeliveries = meter.CreateCounter<long>("convor.webhook.deliveries", "{delivery}",
            "Webhook delivery attempts, by outcome.");
        redisOutages = meter.CreateCounter<long>("convor.redis.outages", "{outage}",
            "Times this instance lost Redis and fell back to per-instance limits.");
        meter.CreateObservableGauge("convor.outbox.backlog", () => Volatile.Read(ref outboxBacklog), "{event}",
            "Outbox rows not yet delivered, as last seen by this instance's dispatcher.");
        meter.CreateObservableGauge("convor.outbox.oldest_age", () => Volatile.Read(ref outboxOldestAgeSeconds), "s",
            "Age of the oldest undelivered outbox row, as last seen by this instance's dispatcher.");
        meter.CreateObservableGauge("convor.conversations.waiting", () => Volatile.Read(ref waitingConversations), "{conversation}",
            "Conversations waiting for a human operator, as last seen by this instance's routing drain.");
        meter.CreateObservableGauge("convor.redis.fallback", () => Volatile.Read(ref redisFallingBack), "{state}",
            "1 while Redis is configured but unreachable (limits per instance, revocation by the cache bound), else 0.");
    }

    /// <summary>Outcome tag of a command that completed.</summary>
    public const string Succeeded = "succeeded";

    /// <param name="command">the command's type name, e.g. <c>AssignOperatorCommand</c></param>
    /// <param name="outcome"><see cref="Succeeded"/> or the type name of the exception that ended it</param>
    public void CommandHandled(string command, string outcome) =>
        commands.Add(1, new KeyValuePair<string, object?>("command", command), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>The <c>partition</c> tag of a 429: which kind of caller ran out, never who.</summary>
    public const string ApiKeyPartition = "api_key";

    /// <inheritdoc cref="ApiKeyPartition"/>
    public const string ClientAddressPartition = "client_address";

    /// <param name="partitionKind"><see cref="ApiKeyPartition"/> or <see cref="ClientAddressPartition"/></param>
    public void RateLimitRejected(string partitionKind) =>
        rateLimitRejections.Add(1, new KeyValuePair<string, object?>("partition", partitionKind));

    /// <summary>Hook for the webhook dispatcher: one call per delivery attempt.</summary>
    /// <param name="outcome">a closed set such as <c>delivered</c>, <c>failed</c>, <c>gave_up</c></param>
    public void WebhookDeliveryAttempted(string outcome) =>
        webhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Hook for the outbox dispatcher: call after each claim pass.</summary>
    public void ReportOutboxBacklog(long undeliveredRows, TimeSpan oldestAge)
    {
        Volatile.Write(ref outboxBacklog, undeliveredRows);
        Volatile.Write(ref outboxOldestAgeSeconds, oldestAge.TotalSeconds);
    }

    /// <summary>Hook for the routing drain: call after each pass with the number still waiting.</summary>
    public void ReportWaitingConversations(long count) => Volatile.Write(ref waitingConversations, count);

    /// <summary>Redis went away (<paramref name="fallingBack"/> true) or came back.</summary>
    public void RedisFallbackChanged(bool fallingBack)
    {
        Volatile.Write(ref redisFallingBack, fallingBack ? 1 : 0);
        if (fallingBack) redisOutages.Add(1);
    }

    public void Dispose() => meter.Dispose();
}
