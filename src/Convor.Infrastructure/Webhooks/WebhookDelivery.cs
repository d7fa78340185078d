using Convor.Domain.Common;
using Convor.Domain.Webhooks;

namespace Convor.Infrastructure.Webhooks;

/// <summary>
/// An outbox row: one event for one endpoint, written in the same transaction as the change
/// it reports, then sent and retried by the dispatcher until it succeeds or fails for good.
/// Not a domain aggregate: the dispatcher reads and updates these rows directly.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery() { EventType = string.Empty; Payload = string.Empty; }

    public WebhookDeliveryId Id { get; private set; }
    public OrganizationId OrganizationId { get; private set; }
    public WebhookEndpointId EndpointId { get; private set; }

    /// <summary>The event id: the <c>webhook-id</c> header and the payload's <c>id</c>; the activity-log entry's id.</summary>
    public Guid EventId { get; private set; }

    public string EventType { get; private set; }

    /// <summary>The exact JSON body that is signed and sent on every attempt.</summary>
    public string Payload { get; private set; }

    public WebhookDeliveryStatus Status { get; internal set; }

    /// <summary>Attempts made in all.</summary>
    public int Attempts { get; internal set; }

    /// <summary>Attempts made since it was last queued (by the outbox or a redelivery): where it stands in the retry schedule.</summary>
    public int AttemptsSinceQueued { get; internal set; }

    public DateTimeOffset? NextAttemptAt { get; internal set; }
    public DateTimeOffset? LastAttemptAt { get; internal set; }
    public int? LastStatusCode { get; internal set; }
    public string? LastError { get; internal set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Who holds the delivery now (a dispatcher's claim); a concurrency token, so only the holder can record an attempt.</summary>
    public Guid? LeaseToken { get; internal set; }

    public DateTimeOffset? LeaseUntil { get; internal set; }

    public static WebhookDelivery Queue(OrganizationId organizationId, WebhookEndpointId endpointId, Guid eventId, string eventType, string payload, DateTimeOffset now) =>
        new()
        {
            Id = WebhookDeliveryId.New(),
            OrganizationId = organizationId,
            EndpointId = endpointId,
            EventId = eventId,
            EventType = eventType,
            Payload = payload,
            Status = WebhookDeliveryStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
        };
}

/// <summary>One HTTP attempt of a delivery, as it went. (DeliveryId, Number) is unique: an attempt is recorded once.</summary>
public sealed class WebhookAttempt
{
    /// <summary>Longest error text kept.</summary>
    public const int ErrorMaxLength = 1024;

    private WebhookAttempt() { }

    public Guid Id { get; private set; }
    public WebhookDeliveryId DeliveryId { get; private set; }
    public int Number { get; private set; }
    public DateTimeOffset AttemptedAt { get; private set; }
    public int? StatusCode { get; private set; }
    public int DurationMilliseconds { get; private set; }
    public string? Error { get; private set; }

    public static WebhookAttempt Record(WebhookDeliveryId deliveryId, int number, DateTimeOffset attemptedAt, int? statusCode, TimeSpan duration, string? error) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            DeliveryId = deliveryId,
            Number = number,
            AttemptedAt = attemptedAt,
            StatusCode = statusCode,
            DurationMilliseconds = (int)Math.Min(int.MaxValue, duration.TotalMilliseconds),
            Error = Truncate(error),
        };

    public static string? Truncate(string? error) => error is { Length: > ErrorMaxLength } ? error[..ErrorMaxLength] : error;
}
