using Convor.Api.Errors;
using Convor.Application.Common.Models;
using Convor.Application.Webhooks.CreateWebhookEndpoint;
using Convor.Application.Webhooks.DeleteWebhookEndpoint;
using Convor.Application.Webhooks.GetWebhookEndpoint;
using Convor.Application.Webhooks.ListWebhookDeliveries;
using Convor.Application.Webhooks.ListWebhookEndpoints;
using Convor.Application.Webhooks.RedeliverWebhookDelivery;
using Convor.Application.Webhooks.RotateWebhookSecret;
using Convor.Application.Webhooks.UpdateWebhookEndpoint;
using Convor.Domain.ApiKeys;
using Convor.Domain.Common;
using Convor.Domain.Webhooks;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NSwag.Annotations;

namespace Convor.Api.Controllers;

[Route("api/webhooks")]
[OpenApiTag("Webhooks")]
public sealed class WebhooksController(ISender sender) : ConvorControllerBase
{
    [HttpPost]
    [Authorize(Policy = ApiKeyScopes.WebhooksWrite)]
    [Consumes("application/json")]
    [OpenApiOperation("createWebhookEndpoint", "Create a webhook endpoint",
        "Registers a URL that receives the organization's events (`events`: event types, or `[\"*\"]` for all). The answer holds `secret` (`whsec_…`), which signs every delivery; it is shown only here (and by `rotate-secret`), so store it now. The URL must be `https`; deliveries to loopback, private, link-local and metadata addresses are refused when sent.")]
    [ProducesResponseType<WebhookEndpointWithSecretResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ActionResult<WebhookEndpointWithSecretResponse>> Create([FromBody] CreateWebhookEndpointRequest request, CancellationToken cancellationToken)
    {
        var created = await sender.Send(request.ToCommand(), cancellationToken);
        return CreatedAtAction(nameof(Get), new { id = created.Id }, created);
    }

    /// <param name="limit">Page size, 1-100 (default 25).</param>
    /// <param name="cursor">`nextCursor` of the previous page.</param>
    /// <param name="cancellationToken">Aborted when the client goes away.</param>
    [HttpGet]
    [Authorize(Policy = ApiKeyScopes.WebhooksRead)]
    [OpenApiOperation("listWebhookEndpoints", "List webhook endpoints",
        "Lists the organization's endpoints, oldest first, paged like every list. Secrets are never shown here.")]
    [ProducesResponseType<WebhookEndpointPage>(StatusCodes.Status200OK)]
    public async Task<ActionResult<WebhookEndpointPage>> List([FromQuery] int? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        await sender.Send(new ListWebhookEndpointsQuery(limit, cursor), cancellationToken);

    [HttpGet("{id}")]
    [Authorize(Policy = ApiKeyScopes.WebhooksRead)]
    [OpenApiOperation("getWebhookEndpoint", "Get a webhook endpoint", "Returns one endpoint of the current organization, without its secret.")]
    [ProducesResponseType<WebhookEndpointResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<WebhookEndpointResponse>> Get(Guid id, CancellationToken cancellationToken) =>
        await sender.Send(new GetWebhookEndpointQuery(new WebhookEndpointId(id)), cancellationToken);

    [HttpPatch("{id}")]
    [Authorize(Policy = ApiKeyScopes.WebhooksWrite)]
    [Consumes("application/json")]
    [OpenApiOperation("updateWebhookEndpoint", "Update a webhook endpoint",
        "Changes `url`, `events`, `description` (an empty string clears it) and/or `active`; a field that is absent or null stays. `active: false` pauses deliveries (they stay pending); `active: true` resumes them, also after the API disabled the endpoint (410 answer, or 5 days of only failures).")]
    [ProducesResponseType<WebhookEndpointResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ActionResult<WebhookEndpointResponse>> Update(Guid id, [FromBody] UpdateWebhookEndpointRequest request, CancellationToken cancellationToken) =>
        await sender.Send(request.ToCommand(new WebhookEndpointId(id)), cancellationToken);

    [HttpDelete("{id}")]
    [Authorize(Policy = ApiKeyScopes.WebhooksWrite)]
    [OpenApiOperation("deleteWebhookEndpoint", "Delete a webhook endpoint", "Deletes the endpoint and its deliveries; nothing more is sent to it.")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        await sender.Send(new DeleteWebhookEndpointCommand(new WebhookEndpointId(id)), cancellationToken);
        return NoContent();
    }

    [HttpPost("{id}/rotate-secret")]
    [Authorize(Policy = ApiKeyScopes.WebhooksWrite)]
    [OpenApiOperation("rotateWebhookSecret", "Rotate a webhook endpoint's secret",
        "Makes a new secret and answers it once. For 24 hours deliveries carry two signatures, one by the new secret and one by the old, so receivers can switch without losing a delivery.")]
    [ProducesResponseType<WebhookEndpointWithSecretResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<WebhookEndpointWithSecretResponse>> RotateSecret(Guid id, CancellationToken cancellationToken) =>
        await sender.Send(new RotateWebhookSecretCommand(new WebhookEndpointId(id)), cancellationToken);

    /// <param name="id">The endpoint.</param>
    /// <param name="status">`pending`, `succeeded` or `failed`; all when absent.</param>
    /// <param name="limit">Page size, 1-100 (default 25).</param>
    /// <param name="cursor">`nextCursor` of the previous page.</param>
    /// <param name="cancellationToken">Aborted when the client goes away.</param>
    [HttpGet("{id}/deliveries")]
    [Authorize(Policy = ApiKeyScopes.WebhooksRead)]
    [OpenApiOperation("listWebhookDeliveries", "List an endpoint's deliveries",
        "Each event's delivery to this endpoint, newest first: status, attempts so far, the last attempt's time, status code and error (at most 1 KiB), and when the next attempt is due.")]
    [ProducesResponseType<WebhookDeliveryPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<WebhookDeliveryPage>> ListDeliveries(
        Guid id, [FromQuery] WebhookDeliveryStatus? status, [FromQuery] int? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        await sender.Send(new ListWebhookDeliveriesQuery(new WebhookEndpointId(id), status, limit, cursor), cancellationToken);

    [HttpPost("{id}/deliveries/{deliveryId}/redeliver")]
    [Authorize(Policy = ApiKeyScopes.WebhooksWrite)]
    [OpenApiOperation("redeliverWebhookDelivery", "Redeliver an event",
        "Queues the delivery again, whatever its status, for an attempt now and a fresh retry schedule. The event keeps its `webhook-id`, so receivers that already applied it can drop it.")]
    [ProducesResponseType<WebhookDeliveryResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<WebhookDeliveryResponse>> Redeliver(Guid id, Guid deliveryId, CancellationToken cancellationToken) =>
        Accepted(await sender.Send(new RedeliverWebhookDeliveryCommand(new WebhookEndpointId(id), new WebhookDeliveryId(deliveryId)), cancellationToken));
}
