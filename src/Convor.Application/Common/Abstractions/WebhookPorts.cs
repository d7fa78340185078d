using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Convor.Domain.Webhooks;

namespace Convor.Application.Common.Abstractions;

/// <summary>Loads, adds and removes webhook endpoints, always scoped to one organization.</summary>
public interface IWebhookEndpointRepository
{
    Task<WebhookEndpoint?> FindAsync(OrganizationId organizationId, WebhookEndpointId id, CancellationToken cancellationToken);
    void Add(WebhookEndpoint endpoint);

    /// <summary>Removes the endpoint and, in the same save, its deliveries.</summary>
    void Remove(WebhookEndpoint endpoint);
}

/// <summary>A new signing secret: the text shown once to the caller, and the form that is stored.</summary>
public sealed record NewWebhookSecret(string Secret, string ProtectedSecret)
{
    // Never print the secret through string formatting.
    public override string ToString() => nameof(NewWebhookSecret);
}

/// <summary>Makes signing secrets and protects them (encrypts them) for storage.</summary>
public interface IWebhookSecrets
{
    NewWebhookSecret Generate();
}

/// <summary>What the configuration allows as an endpoint URL.</summary>
public interface IWebhookUrlPolicy
{
    /// <summary>Plain <c>http</c> is allowed only where <c>Webhooks:AllowHttp</c> is on.</summary>
    bool AllowHttp { get; }
}

/// <summary>Reads of endpoints and deliveries, projected to wire models, scoped to one organization.</summary>
public interface IWebhookQueries
{
    Task<WebhookEndpointResponse?> GetAsync(OrganizationId organizationId, WebhookEndpointId id, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> endpoints, oldest first, strictly after <paramref name="after"/> when given.</summary>
    Task<IReadOnlyList<WebhookEndpointResponse>> ListAsync(
        OrganizationId organizationId, WebhookEndpointListPosition? after, int take, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> deliveries of the endpoint, newest first, of the given statuses (all when empty).</summary>
    Task<IReadOnlyList<WebhookDeliveryResponse>> ListDeliveriesAsync(
        OrganizationId organizationId, WebhookEndpointId endpointId, IReadOnlyCollection<WebhookDeliveryStatus> statuses,
        WebhookDeliveryListPosition? after, int take, CancellationToken cancellationToken);

    Task<WebhookDeliveryResponse?> GetDeliveryAsync(OrganizationId organizationId, WebhookEndpointId endpointId, WebhookDeliveryId deliveryId, CancellationToken cancellationToken);
}

/// <summary>The outbox rows behind deliveries, for what a caller may do to them.</summary>
public interface IWebhookDeliveryQueue
{
    /// <summary>Queues the delivery for a new attempt now; false when it is not a delivery of that endpoint in that organization.</summary>
    Task<bool> RedeliverAsync(OrganizationId organizationId, WebhookEndpointId endpointId, WebhookDeliveryId deliveryId, CancellationToken cancellationToken);
}

public sealed record WebhookEndpointListPosition(DateTimeOffset CreatedAt, WebhookEndpointId Id);

/// <summary>Deliveries are listed by id, newest first: ids are time-ordered (version 7).</summary>
public sealed record WebhookDeliveryListPosition(WebhookDeliveryId Id);
