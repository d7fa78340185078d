using Convor.Application.Common.Abstractions;
using Convor.Domain.Common;
using Mediator;

namespace Convor.Application.Webhooks.DeleteWebhookEndpoint;

/// <summary>Deletes the endpoint and its deliveries; nothing more is sent to it.</summary>
public sealed record DeleteWebhookEndpointCommand(WebhookEndpointId EndpointId) : ICommand;

public sealed class DeleteWebhookEndpointCommandHandler(
    ICurrentCaller caller,
    IWebhookEndpointRepository endpoints,
    IUnitOfWork unitOfWork) : ICommandHandler<DeleteWebhookEndpointCommand>
{
    public async ValueTask<Unit> Handle(DeleteWebhookEndpointCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.FindEndpointAsync(caller.OrganizationId, command.EndpointId, cancellationToken);
        endpoints.Remove(endpoint);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
