using Convor.Domain.Webhooks;

namespace Convor.Application.Common.Models;

/// <summary>A webhook endpoint as the contract writes it (property order is the JSON order). The secret is never part of it.</summary>
public sealed record WebhookEndpointResponse
{
    public required Guid Id { get; init; }
    public required Guid OrgId { get; init; }
    public required string Url { get; init; }

    /// <summary>Subscribed event types, or <c>["*"]</c> for all.</summary>
    public required IReadOnlyList<string> Events { get; init; }

    public required string? Description { get; init; }

    /// <summary>False when switched off by its owner, by a 410 answer, or after 5 days of only failures.</summary>
    public required bool Active { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// The answer of creating an endpoint or rotating its secret: the only time the secret is shown.
/// </summary>
public sealed record WebhookEndpointWithSecretResponse
{
    public required Guid Id { get; init; }
    public required Guid OrgId { get; init; }
    public required string Url { get; init; }
    public required IReadOnlyList<string> Events { get; init; }
    public required string? Description { get; init; }
    public required bool Active { get; init; }

    /// <summary><c>whsec_</c> + base64 of 32 random bytes. Shown in this answer only; store it now.</summary>
    public required string Secret { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    // A record prints every member; this one holds a secret, so it prints none.
    public override string ToString() => nameof(WebhookEndpointWithSecretResponse);
}

/// <summary>One event's delivery to one endpoint.</summary>
public sealed record WebhookDeliveryResponse
{
    public required Guid Id { get; init; }

    /// <summary>The event id: the <c>webhook-id</c> header, the same on every attempt.</summary>
    public required Guid EventId { get; init; }

    public required string EventType { get; init; }
    public required WebhookDeliveryStatus Status { get; init; }
    public required int Attempts { get; init; }
    public required DateTimeOffset? LastAttemptAt { get; init; }
    public required int? LastStatusCode { get; init; }

    /// <summary>Why the last attempt failed (at most 1 KiB), null after a success or before any attempt.</summary>
    public required string? LastError { get; init; }

    /// <summary>When the next attempt is due; null once succeeded or failed.</summary>
    public required DateTimeOffset? NextAttemptAt { get; init; }
}

public sealed record WebhookEndpointPage
{
    public required IReadOnlyList<WebhookEndpointResponse> Data { get; init; }
    public required string? NextCursor { get; init; }
}

public sealed record WebhookDeliveryPage
{
    public required IReadOnlyList<WebhookDeliveryResponse> Data { get; init; }
    public required string? NextCursor { get; init; }
}
