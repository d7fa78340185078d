using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Domain.Webhooks;
using FluentValidation;
using Mediator;

namespace Convor.Application.Webhooks.CreateWebhookEndpoint;

/// <summary>Body of <c>POST /api/webhooks</c>.</summary>
public sealed record CreateWebhookEndpointRequest : RequestBody
{
    /// <summary>Where events are POSTed: an absolute https URL.</summary>
    public string? Url { get; init; }

    /// <summary>Event types to receive, or <c>["*"]</c> for all.</summary>
    public IReadOnlyList<string>? Events { get; init; }

    public string? Description { get; init; }

    public CreateWebhookEndpointCommand ToCommand() => new(Url, Events, Description);
}

public sealed record CreateWebhookEndpointCommand(string? Url, IReadOnlyList<string>? Events, string? Description)
    : ICommand<WebhookEndpointWithSecretResponse>;

public sealed class CreateWebhookEndpointCommandValidator : AbstractValidator<CreateWebhookEndpointCommand>
{
    public CreateWebhookEndpointCommandValidator(IWebhookUrlPolicy policy)
    {
        RuleFor(c => c.Url).Cascade(CascadeMode.Stop).NotNull().WithMessage("is required").WebhookUrl(policy);
        RuleFor(c => c.Events).Cascade(CascadeMode.Stop).NotNull().WithMessage("is required").WebhookEvents();
        RuleFor(c => c.Description).WebhookDescription();
    }
}

public sealed class CreateWebhookEndpointCommandHandler(
    ICurrentCaller caller,
    IWebhookEndpointRepository endpoints,
    IWebhookSecrets secrets,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<CreateWebhookEndpointCommand, WebhookEndpointWithSecretResponse>
{
    public async ValueTask<WebhookEndpointWithSecretResponse> Handle(CreateWebhookEndpointCommand command, CancellationToken cancellationToken)
    {
        var secret = secrets.Generate();
        var endpoint = WebhookEndpoint.Create(caller.OrganizationId, WebhookRules.ValidatedUrl(command.Url!), command.Events!,
            command.Description, secret.ProtectedSecret, clock.GetUtcNow());
        endpoints.Add(endpoint);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return endpoint.ToResponseWithSecret(secret.Secret);
    }
}
