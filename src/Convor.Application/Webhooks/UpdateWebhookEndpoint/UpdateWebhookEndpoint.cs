using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using FluentValidation;
using Mediator;

namespace Convor.Application.Webhooks.UpdateWebhookEndpoint;

/// <summary>Body of <c>PATCH /api/webhooks/{id}</c>: each field given (and not null) is set; the others stay.</summary>
public sealed record UpdateWebhookEndpointRequest : RequestBody
{
    public string? Url { get; init; }
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>An empty string clears it.</summary>
    public string? Description { get; init; }

    /// <summary>False stops deliveries (they wait, pending); true resumes them.</summary>
    public bool? Active { get; init; }

    public UpdateWebhookEndpointCommand ToCommand(WebhookEndpointId endpointId) => new(endpointId, Url, Events, Description, Active);
}

public sealed record UpdateWebhookEndpointCommand(WebhookEndpointId EndpointId, string? Url, IReadOnlyList<string>? Events, string? Description, bool? Active)
    : ICommand<WebhookEndpointResponse>;

public sealed class UpdateWebhookEndpointCommandValidator : AbstractValidator<UpdateWebhookEndpointCommand>
{
    public UpdateWebhookEndpointCommandValidator(IWebhookUrlPolicy policy)
    {
        RuleFor(c => c.Url).Cascade(CascadeMode.Stop).WebhookUrl(policy).When(c => c.Url is not null);
        RuleFor(c => c.Events).Cascade(CascadeMode.Stop).WebhookEvents().When(c => c.Events is not null);
        RuleFor(c => c.Description).WebhookDescription();
    }
}

public sealed class UpdateWebhookEndpointCommandHandler(
    ICurrentCaller caller,
    IWebhookEndpointRepository endpoints,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<UpdateWebhookEndpointCommand, WebhookEndpointResponse>
{
    public async ValueTask<WebhookEndpointResponse> Handle(UpdateWebhookEndpointCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.FindEndpointAsync(caller.OrganizationId, command.EndpointId, cancellationToken);
        var url = command.Url is null ? null : WebhookRules.ValidatedUrl(command.Url);
        if (endpoint.Update(url, command.Events, command.Description, command.Active, clock.GetUtcNow()))
            await unitOfWork.SaveChangesAsync(cancellationToken);
        return endpoint.ToResponse();
    }
}
