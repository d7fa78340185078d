using Convor.Api.Errors;
using Convor.Application.Common;
using Convor.Application.Common.Models;
using Convor.Application.Conversations.AssignOperator;
using Convor.Application.Conversations.CloseConversation;
using Convor.Application.Conversations.CreateConversation;
using Convor.Application.Conversations.GetConversation;
using Convor.Application.Conversations.UnassignConversation;
using Convor.Domain.ApiKeys;
using Convor.Domain.Common;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using NSwag.Annotations;

namespace Convor.Api.Controllers;

[Route("api/conversations")]
[OpenApiTag("Conversations")]
public sealed class ConversationsController(ISender sender) : ConvorControllerBase
{
    private const string IfMatch = "If-Match";

    [HttpPost]
    [Authorize(Policy = ApiKeyScopes.ConversationsWrite)]
    [Consumes("application/json")]
    [OpenApiOperation("createConversation", "Create a conversation",
        "Creates a conversation in the current organization. Without `visitorId` a new visitor of the organization is created; a `visitorId` of another organization is 422 `invalid_visitor`.")]
    [ProducesResponseType<ConversationResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status415UnsupportedMediaType)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<ActionResult<ConversationResponse>> Create([FromBody] CreateConversationRequest request, CancellationToken cancellationToken)
    {
        var result = await sender.Send(request.ToCommand(), cancellationToken);
        Response.Headers.ETag = Precondition.ETagOf(result.Version);
        return CreatedAtAction(nameof(Get), new { id = result.Conversation.Id }, result.Conversation);
    }

    [HttpGet("{id}")]
    [Authorize(Policy = ApiKeyScopes.ConversationsRead)]
    [OpenApiOperation("getConversation", "Get a conversation",
        "Returns one conversation of the current organization, with its version as `ETag`. A snoozed conversation whose `snoozedUntil` has passed is shown as `open`.")]
    [ProducesResponseType<ConversationResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<ConversationResponse>> Get(Guid id, CancellationToken cancellationToken) =>
        ConversationOk(await sender.Send(new GetConversationQuery(new ConversationId(id)), cancellationToken));

    [HttpPost("{id}/assign")]
    [Authorize(Policy = ApiKeyScopes.ConversationsWrite)]
    [Consumes("application/json")]
    [OpenApiOperation("assignOperator", "Assign operator to conversation",
        "Assigns one conversation to a specific operator in the current organization. The conversation and operator must both belong to that organization. Sets `assignedOperatorId` and turns `aiActive` off (a human has taken over); a snoozed conversation stays snoozed. Assigning the operator who is already assigned changes nothing. Closed conversation: 409 `conversation_closed`; inactive operator: 422 `operator_inactive`.")]
    [ProducesResponseType<ConversationResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status415UnsupportedMediaType)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<ActionResult<ConversationResponse>> Assign(
        Guid id,
        [FromBody] AssignOperatorRequest request,
        [FromHeader(Name = IfMatch)] string? ifMatch,
        CancellationToken cancellationToken) =>
        ConversationOk(await sender.Send(request.ToCommand(new ConversationId(id), ifMatch), cancellationToken));

    [HttpPost("{id}/unassign")]
    [Authorize(Policy = ApiKeyScopes.ConversationsWrite)]
    [OpenApiOperation("unassignConversation", "Unassign a conversation",
        "Clears the operator assignment for one conversation in the current organization. The conversation must belong to that organization. Clears `assignedOperatorId` and turns `aiActive` on (the AI agent takes it back). Already unassigned: changes nothing. Closed conversation: 409 `conversation_closed`.")]
    [ProducesResponseType<ConversationResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status412PreconditionFailed)]
    public async Task<ActionResult<ConversationResponse>> Unassign(
        Guid id,
        [FromHeader(Name = IfMatch)] string? ifMatch,
        CancellationToken cancellationToken) =>
        ConversationOk(await sender.Send(new UnassignConversationCommand(new ConversationId(id), ifMatch), cancellationToken));

    [HttpPost("{id}/close")]
    [Authorize(Policy = ApiKeyScopes.ConversationsWrite)]
    [OpenApiOperation("closeConversation", "Close a conversation",
        "Closes one conversation in the current organization. The request body is optional, so a bare `POST` works. Sets `status` to `closed`, `aiActive` to false, `snoozedUntil` to null and `resolvedBy` to the given value, or when none is given: `operator` if assigned, else `ai` if `aiActive`, else `system`. Keeps `assignedOperatorId`. Already closed: changes nothing and returns the conversation.")]
    [ProducesResponseType<ConversationResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ActionResult<ConversationResponse>> Close(
        Guid id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] CloseConversationRequest? request,
        [FromHeader(Name = IfMatch)] string? ifMatch,
        CancellationToken cancellationToken) =>
        ConversationOk(await sender.Send((request ?? new CloseConversationRequest()).ToCommand(new ConversationId(id), ifMatch), cancellationToken));
}
