using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Mediator;

namespace Convor.Application.Webhooks.RedeliverWebhookDelivery;

/// <summary>Queues a delivery again (whatever its status) for an attempt now, with a fresh retry schedule.</summary>
public sealed record RedeliverWebhookDeliveryCommand(WebhookEndpointId EndpointId, WebhookDeliveryId DeliveryId) : ICommand<WebhookDeliveryResponse>;

public sealed class RedeliverWebhookDeliveryCommandHandler(ICurrentCaller caller, IWebhookDeliveryQueue deliveries, IWebhookQueries queries)
    : ICommandHandler<RedeliverWebhookDeliveryCommand, WebhookDeliveryResponse>
{
    public async ValueTask<WebhookDeliveryResponse> Handle(RedeliverWebhookDeliveryCommand command, CancellationToken cancellationToken)
    {
        if (!await deliveries.RedeliverAsync(caller.OrganizationId, command.EndpointId, command.DeliveryId, cancellationToken))
            throw new WebhookDeliveryNotFoundException();
        return await queries.GetDeliveryAsync(caller.OrganizationId, command.EndpointId, command.DeliveryId, cancellationToken)
            ?? throw new WebhookDeliveryNotFoundException();
    }
}
