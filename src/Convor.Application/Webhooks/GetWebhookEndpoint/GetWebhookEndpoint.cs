using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Mediator;

namespace Convor.Application.Webhooks.GetWebhookEndpoint;

public sealed record GetWebhookEndpointQuery(WebhookEndpointId EndpointId) : IQuery<WebhookEndpointResponse>;

public sealed class GetWebhookEndpointQueryHandler(ICurrentCaller caller, IWebhookQueries queries)
    : IQueryHandler<GetWebhookEndpointQuery, WebhookEndpointResponse>
{
    public async ValueTask<WebhookEndpointResponse> Handle(GetWebhookEndpointQuery query, CancellationToken cancellationToken) =>
        await queries.GetAsync(caller.OrganizationId, query.EndpointId, cancellationToken)
        ?? throw new WebhookEndpointNotFoundException();
}
