using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Convor.Domain.Webhooks;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Convor.Infrastructure.Webhooks;

internal sealed class WebhookEndpointRepository(ConvorDbContext db) : IWebhookEndpointRepository
{
    public Task<WebhookEndpoint?> FindAsync(OrganizationId organizationId, WebhookEndpointId id, CancellationToken cancellationToken) =>
        db.WebhookEndpoints.FirstOrDefaultAsync(e => e.OrganizationId == organizationId && e.Id == id, cancellationToken);

    public void Add(WebhookEndpoint endpoint) => db.WebhookEndpoints.Add(endpoint);

    public void Remove(WebhookEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        db.WebhookEndpoints.Remove(endpoint);
        // Its deliveries go in the same save (no foreign key does it: see WebhookDeliveryConfiguration).
        db.WebhookDeliveries.RemoveRange(db.WebhookDeliveries.Where(d => d.EndpointId == endpoint.Id));
    }
}

/// <summary>Reads of endpoints and deliveries; no tracking.</summary>
internal sealed class WebhookQueries(ConvorDbContext db) : IWebhookQueries
{
    public async Task<WebhookEndpointResponse?> GetAsync(OrganizationId organizationId, WebhookEndpointId id, CancellationToken cancellationToken) =>
        (await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.OrganizationId == organizationId && e.Id == id, cancellationToken))?.ToResponse();

    public async Task<IReadOnlyList<WebhookEndpointResponse>> ListAsync(
        OrganizationId organizationId, WebhookEndpointListPosition? after, int take, CancellationToken cancellationToken)
    {
        var query = db.WebhookEndpoints.AsNoTracking().Where(e => e.OrganizationId == organizationId);
        if (after is not null)
        {
            var (createdAt, id) = (after.CreatedAt, after.Id);
            query = query.Where(e => e.CreatedAt >= createdAt && (e.CreatedAt > createdAt || (e.CreatedAt == createdAt && e.Id > id)));
        }
        var rows = await query.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).Take(take).ToListAsync(cancellationToken);
        return rows.Select(e => e.ToResponse()).ToList();
    }

    public async Task<IReadOnlyList<WebhookDeliveryResponse>> ListDeliveriesAsync(
        OrganizationId organizationId, WebhookEndpointId endpointId, IReadOnlyCollection<WebhookDeliveryStatus> statuses,
        WebhookDeliveryListPosition? after, int take, CancellationToken cancellationToken)
    {
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.OrganizationId == organizationId && d.EndpointId == endpointId);
        if (statuses.Count > 0)
        {
            var wanted = statuses.ToList();
            query = query.Where(d => wanted.Contains(d.Status));
        }
        if (after is not null)
        {
            var before = after.Id;
            query = query.Where(d => d.Id < before);
        }
        return await ToResponses(query.OrderByDescending(d => d.Id).Take(take)).ToListAsync(cancellationToken);
    }

    public Task<WebhookDeliveryResponse?> GetDeliveryAsync(OrganizationId organizationId, WebhookEndpointId endpointId, WebhookDeliveryId deliveryId, CancellationToken cancellationToken) =>
        ToResponses(db.WebhookDeliveries.AsNoTracking().Where(d => d.OrganizationId == organizationId && d.EndpointId == endpointId && d.Id == deliveryId))
            .FirstOrDefaultAsync(cancellationToken);

    private static IQueryable<WebhookDeliveryResponse> ToResponses(IQueryable<WebhookDelivery> query) =>
        query.Select(d => new WebhookDeliveryResponse
            {
                Id = d.Id.Value,
                EventId = d.EventId,
                EventType = d.EventType,
                Status = d.Status,
                Attempts = d.Attempts,
                LastAttemptAt = d.LastAttemptAt,
                LastStatusCode = d.LastStatusCode,
                LastError = d.LastError,
                NextAttemptAt = d.NextAttemptAt,
            });
}
