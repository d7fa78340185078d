using Convor.Api.Errors;
using Convor.Application.Common.Models;
using Convor.Application.Conversations.AddMessage;
using Convor.Application.Conversations.AssignOperator;
using Convor.Application.Conversations.CloseConversation;
using Convor.Application.Conversations.CreateConversation;
using Convor.Application.Conversations.GetConversation;
using Convor.Application.Conversations.GetMessage;
using Convor.Application.Conversations.HandoffConversation;
using Convor.Application.Conversations.ListConversationEvents;
using Convor.Application.Conversations.ListConversations;
using Convor.Application.Conversations.ListMessages;
using Convor.Application.Conversations.ReopenConversation;
using Convor.Application.Conversations.SnoozeConversation;
using Convor.Application.Conversations.UnassignConversation;
using Convor.Application.Conversations.UpdateConversation;
using Convor.Domain.ApiKeys;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
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
        Response.Headers.ETag = EntityTag.Of(result.Version);
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
        ConversationOk(await sender.Send(request.ToCommand(new ConversationId(id), EntityTag.ParseIfMatch(ifMatch)), cancellationToken));

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
        ConversationOk(await sender.Send(new UnassignConversationCommand(new ConversationId(id), EntityTag.ParseIfMatch(ifMatch)), cancellationToken));

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
        ConversationOk(await sender.Send((request ?? new CloseConversationRequest()).ToCommand(new ConversationId(id), EntityTag.ParseIfMatch(ifMatch)), cancellationToken));

    [HttpPost("{id}/handoff")]
    [Authorize(Policy = ApiKeyScopes.ConversationsWrite)]
    [OpenApiOperation("handoffConversation", "Hand a conversation from the AI to a human",
        "The AI asks for a human. No body. Closed: 409 `conversation_closed`. Already assigned: changes nothing. Otherwise `aiActive` becomes false and routing picks an operator of the organization that is `active`, `online` and below its `maxConversations`: the fewest open conversations, ties to the one whose last routed assignment is oldest. The conversation is assigned to it (an `assigned` entry by actor `routing`, `data.after.via` `routing`). Nobody available: the conversation stays unassigned and is **waiting** (a `handoff_requested` entry); `GET /api/conversations?waiting=true` lists the waiting ones, and they are routed, oldest first, within 2 seconds of an operator having room. Asking again while waiting keeps the conversation's place in the queue.")]
    [ProducesResponseType<ConversationResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status412PreconditionFailed)]
    public async Task<ActionResult<ConversationResponse>> Handoff(
        Guid id,
        [FromHeader(Name = IfMatch)] string? ifMatch,
        CancellationToken cancellationToken) =>
        ConversationOk(await sender.Send(new HandoffConversationCommand(new ConversationId(id), EntityTag.ParseIfMatch(ifMatch)), cancellationToken));

    // Lifecycle and queries (issue 3).

    [HttpPost("{id}/reopen")]
    [Authorize(Policy = ApiKeyScopes.ConversationsWrite)]
    [OpenApiOperation("reopenConversation", "Reopen a conversation",
        "Reopens one conversation in the current organization. No body. Closed or snoozed: becomes `open`, with `resolvedBy` and `snoozedUntil` null; reopened from closed, the AI agent answers again unless an operator is still assigned. Open already: changes nothing (same `updatedAt`). A snooze that has already ended is recorded as reopened by `system`.")]
    [ProducesResponseType<ConversationResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status412PreconditionFailed)]
    public async Task<ActionResult<ConversationResponse>> Reopen(
        Guid id,
        [FromHeader(Name = IfMatch)] string? ifMatch,
        CancellationToken cancellationToken) =>
        ConversationOk(await sender.Send(new ReopenConversationCommand(new ConversationId(id), EntityTag.ParseIfMatch(ifMatch)), cancellationToken));

    [HttpPost("{id}/snooze")]
    [Authorize(Policy = ApiKeyScopes.ConversationsWrite)]
    [Consumes("application/json")]
    [OpenApiOperation("snoozeConversation", "Snooze a conversation",
        "Puts one conversation of the current organization aside until `until`, which must be an RFC 3339 timestamp in the future (400 otherwise). Becomes `snoozed` with `snoozedUntil` set; the assignment and `aiActive` stay. Snoozing again moves the end; the same end changes nothing. Closed conversation: 409 `conversation_closed`. When `until` has passed, the conversation counts as `open` again in every read and filter, and a background sweep records it as reopened by `system`.")]
    [ProducesResponseType<ConversationResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ActionResult<ConversationResponse>> Snooze(
        Guid id,
        [FromBody] SnoozeConversationRequest request,
        [FromHeader(Name = IfMatch)] string? ifMatch,
        CancellationToken cancellationToken) =>
        ConversationOk(await sender.Send(request.ToCommand(new ConversationId(id), EntityTag.ParseIfMatch(ifMatch)), cancellationToken));

    [HttpPatch("{id}")]
    [Authorize(Policy = ApiKeyScopes.ConversationsWrite)]
    [Consumes("application/json")]
    [OpenApiOperation("updateConversation", "Update priority or metadata",
        "Changes `priority` and/or replaces `metadata` (a JSON object, at most 16 KiB serialized, kept as sent; `searchVector` is recomputed from it) of one conversation in the current organization. A field that is absent or null stays as it is. Allowed in every status, closed included. Setting the current value changes nothing (same `updatedAt`). Each real change is one activity-log entry (`priority_changed`, `metadata_changed`).")]
    [ProducesResponseType<ConversationResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ActionResult<ConversationResponse>> Update(
        Guid id,
        [FromBody] UpdateConversationRequest request,
        [FromHeader(Name = IfMatch)] string? ifMatch,
        CancellationToken cancellationToken) =>
        ConversationOk(await sender.Send(request.ToCommand(new ConversationId(id), EntityTag.ParseIfMatch(ifMatch)), cancellationToken));

    /// <param name="status">`open` (snoozes that have ended included), `snoozed` (still running) or `closed`; several values are any-of.</param>
    /// <param name="priority">`low`, `normal`, `high` or `urgent`; several values are any-of.</param>
    /// <param name="channel">`widget`, `email` or `api`; several values are any-of.</param>
    /// <param name="assignedOperatorId">Only conversations assigned to this operator (several, at most 50: any of them).</param>
    /// <param name="unassigned">`true`: only conversations without an operator.</param>
    /// <param name="q">Words that must each start a word of `searchVector` (at most 200 characters, 10 words).</param>
    /// <param name="limit">Page size, 1-100 (default 25).</param>
    /// <param name="cursor">`nextCursor` of the previous page, with the same filters.</param>
    /// <param name="waiting">`true`: only waiting conversations (handed off, nobody had room yet), oldest request first.</param>
    /// <param name="cancellationToken">Aborted when the client goes away.</param>
    [HttpGet]
    [Authorize(Policy = ApiKeyScopes.ConversationsRead)]
    [OpenApiOperation("listConversations", "List conversations",
        "Lists the conversations of the current organization, newest `lastMessageAt` first (conversations without messages last), then newest `createdAt`, then `id`. Every filter given must hold: `status` is the status readers see (`open` includes snoozes that have ended, `snoozed` excludes them), `priority`, `channel`, `assignedOperatorId`, `unassigned=true` (no operator; not combinable with `assignedOperatorId`), `q` (every word must start a word of `searchVector`; words are lower-cased and accent-folded like it), `waiting=true` (handed off and not yet routed; the list is then ordered oldest request first, then `id`; not combinable with `assignedOperatorId`). `status`, `priority`, `channel` and `assignedOperatorId` take several values as any-of, repeated (`status=open&status=snoozed`) or comma-separated (`status=open,snoozed`). `limit` is 1-100 (default 25). `nextCursor` is null on the last page; otherwise pass it as `cursor`, with the same filters, for the next page: pages never skip or repeat a row while rows change. A malformed cursor, or one issued for other filters, is 400.")]
    [ProducesResponseType<ConversationPage>(StatusCodes.Status200OK)]
    public async Task<ActionResult<ConversationPage>> List(
        [FromQuery] ConversationStatus[]? status,
        [FromQuery] ConversationPriority[]? priority,
        [FromQuery] ConversationChannel[]? channel,
        [FromQuery] Guid[]? assignedOperatorId,
        [FromQuery] bool? unassigned,
        [FromQuery] string? q,
        [FromQuery] int? limit,
        [FromQuery] string? cursor,
        [FromQuery] bool? waiting,
        CancellationToken cancellationToken) =>
        await sender.Send(new ListConversationsQuery(status, priority, channel, assignedOperatorId, unassigned, q, limit, cursor, waiting), cancellationToken);

    /// <param name="id">The conversation.</param>
    /// <param name="limit">Page size, 1-100 (default 25).</param>
    /// <param name="cursor">`nextCursor` of the previous page.</param>
    /// <param name="cancellationToken">Aborted when the client goes away.</param>
    [HttpGet("{id}/events")]
    [Authorize(Policy = ApiKeyScopes.ConversationsRead)]
    [OpenApiOperation("listConversationEvents", "List a conversation's activity log",
        "The activity log of one conversation of the current organization, oldest first: one entry per version of the conversation (`created`, `assigned`, `unassigned`, `closed`, `reopened`, `snoozed`, `priority_changed`, `metadata_changed`, `message_added`, `handoff_requested`), written in the same transaction as the change. `actor` is `apiKey:<key id>` for a change made through the API, `system` for one Convor made itself (an ended snooze) and `routing` for an assignment routing made (`data.after.via` is then `routing`). `data` is `{\"before\":{…},\"after\":{…}}` with only the fields that changed; for `message_added` it is `{\"messageId\":…,\"author\":…}` (never the body). A command that changed nothing writes no entry. Paged like the conversation list: `limit` 1-100 (default 25), `cursor` from `nextCursor`.")]
    [ProducesResponseType<ConversationEventPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<ConversationEventPage>> ListEvents(
        Guid id,
        [FromQuery] int? limit,
        [FromQuery] string? cursor,
        CancellationToken cancellationToken) =>
        await sender.Send(new ListConversationEventsQuery(new ConversationId(id), limit, cursor), cancellationToken);

    [HttpPost("{id}/messages")]
    [Authorize(Policy = ApiKeyScopes.ConversationsWrite)]
    [Consumes("application/json")]
    [OpenApiOperation("addMessage", "Add a message to a conversation",
        "Writes a message in one conversation of the current organization: `author` is `visitor`, `ai`, `operator` or `system`; `operatorId` is required exactly when `author` is `operator`; `body` is 1-10,000 characters with no control characters other than newline and tab. Sets `lastMessageAt` to the message's `createdAt` and writes a `message_added` entry (message id and author, never the body) in the same transaction. The AI writing after a human took over (`aiActive` false): 409 `ai_not_active`. An operator writing in an unassigned conversation takes it (an `assigned` entry, then the message); in one another operator holds: 409 `operator_not_assigned`. A visitor writing in a closed or snoozed conversation reopens it (a `reopened` entry, then the message); `ai`, `operator` and `system` messages on a closed conversation: 409 `conversation_closed`. Answers 201 with the message and its `Location`.")]
    [ProducesResponseType<MessageResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status415UnsupportedMediaType)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<ActionResult<MessageResponse>> AddMessage(
        Guid id,
        [FromBody] AddMessageRequest request,
        [FromHeader(Name = IfMatch)] string? ifMatch,
        CancellationToken cancellationToken)
    {
        var message = await sender.Send(request.ToCommand(new ConversationId(id), EntityTag.ParseIfMatch(ifMatch)), cancellationToken);
        return CreatedAtAction(nameof(GetMessage), new { id = message.ConversationId, messageId = message.Id }, message);
    }

    /// <param name="id">The conversation.</param>
    /// <param name="limit">Page size, 1-100 (default 25).</param>
    /// <param name="cursor">`nextCursor` of the previous page.</param>
    /// <param name="cancellationToken">Aborted when the client goes away.</param>
    [HttpGet("{id}/messages")]
    [Authorize(Policy = ApiKeyScopes.ConversationsRead)]
    [OpenApiOperation("listMessages", "List a conversation's messages",
        "The messages of one conversation of the current organization, oldest first (in the order they were written). Paged like every list: `limit` 1-100 (default 25), `cursor` from `nextCursor`, which is null on the last page.")]
    [ProducesResponseType<MessagePage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<MessagePage>> ListMessages(
        Guid id,
        [FromQuery] int? limit,
        [FromQuery] string? cursor,
        CancellationToken cancellationToken) =>
        await sender.Send(new ListMessagesQuery(new ConversationId(id), limit, cursor), cancellationToken);

    [HttpGet("{id}/messages/{messageId}")]
    [Authorize(Policy = ApiKeyScopes.ConversationsRead)]
    [OpenApiOperation("getMessage", "Get a message",
        "Returns one message of a conversation of the current organization (where `addMessage` points its `Location`). Unknown conversation: 404 `conversation_not_found`; unknown message in a known conversation: 404 `not_found`.")]
    [ProducesResponseType<MessageResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<MessageResponse>> GetMessage(Guid id, Guid messageId, CancellationToken cancellationToken) =>
        await sender.Send(new GetMessageQuery(new ConversationId(id), new MessageId(messageId)), cancellationToken);
}
