using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Mediator;

namespace Convor.Application.Webhooks.RotateWebhookSecret;

/// <summary>A new secret, answered once; the old one keeps signing beside it for 24 hours.</summary>
public sealed record RotateWebhookSecretCommand(WebhookEndpointId EndpointId) : ICommand<WebhookEndpointWithSecretResponse>;

public sealed class RotateWebhookSecretCommandHandler(
    ICurrentCaller caller,
    IWebhookEndpointRepository endpoints,
    IWebhookSecrets secrets,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<RotateWebhookSecretCommand, WebhookEndpointWithSecretResponse>
{
    public async ValueTask<WebhookEndpointWithSecretResponse> Handle(RotateWebhookSecretCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.FindEndpointAsync(caller.OrganizationId, command.EndpointId, cancellationToken);
        var secret = secrets.Generate();
        endpoint.RotateSecret(secret.ProtectedSecret, clock.GetUtcNow());
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return endpoint.ToResponseWithSecret(secret.Secret);
    }
}
