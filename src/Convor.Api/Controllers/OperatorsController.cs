using Convor.Api.Errors;
using Convor.Application.Common.Models;
using Convor.Application.Operators.CreateOperator;
using Convor.Application.Operators.GetOperator;
using Convor.Application.Operators.ListOperators;
using Convor.Application.Operators.UpdateOperator;
using Convor.Domain.ApiKeys;
using Convor.Domain.Common;
using Convor.Domain.Operators;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NSwag.Annotations;

namespace Convor.Api.Controllers;

[Route("api/operators")]
[OpenApiTag("Operators")]
public sealed class OperatorsController(ISender sender) : ConvorControllerBase
{
    [HttpPost]
    [Authorize(Policy = ApiKeyScopes.OperatorsWrite)]
    [Consumes("application/json")]
    [OpenApiOperation("createOperator", "Create an operator",
        "Creates an operator in the current organization. `email` is unique per organization, ignoring case: a duplicate is 409 `operator_email_taken`. `role` defaults to `agent`, `active` to true.")]
    [ProducesResponseType<OperatorResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ActionResult<OperatorResponse>> Create([FromBody] CreateOperatorRequest request, CancellationToken cancellationToken)
    {
        var created = await sender.Send(request.ToCommand(), cancellationToken);
        return CreatedAtAction(nameof(Get), new { id = created.Id }, created);
    }

    [HttpGet("{id}")]
    [Authorize(Policy = ApiKeyScopes.OperatorsRead)]
    [OpenApiOperation("getOperator", "Get an operator", "Returns one operator of the current organization.")]
    [ProducesResponseType<OperatorResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<OperatorResponse>> Get(Guid id, CancellationToken cancellationToken) =>
        await sender.Send(new GetOperatorQuery(new OperatorId(id)), cancellationToken);

    /// <param name="limit">Page size, 1-100 (default 25).</param>
    /// <param name="cursor">`nextCursor` of the previous page, with the same filter.</param>
    /// <param name="availability">Only operators with any of these availabilities (`online`, `away`, `offline`); repeat it or separate values with commas.</param>
    /// <param name="cancellationToken">Aborted when the client goes away.</param>
    [HttpGet]
    [Authorize(Policy = ApiKeyScopes.OperatorsRead)]
    [OpenApiOperation("listOperators", "List operators",
        "Lists the operators of the current organization, inactive ones included, oldest `createdAt` first, then `id`; `availability` keeps those with any of the given values (`availability=online&availability=away` or `availability=online,away`). Each has its `openConversations` (assigned, not closed). Paged like conversations: `limit` 1-100 (default 25); `nextCursor` is null on the last page, otherwise pass it as `cursor` for the next page. A malformed cursor is 400.")]
    [ProducesResponseType<OperatorPage>(StatusCodes.Status200OK)]
    public async Task<ActionResult<OperatorPage>> List(
        [FromQuery] int? limit,
        [FromQuery] string? cursor,
        [FromQuery] OperatorAvailability[]? availability,
        CancellationToken cancellationToken) =>
        await sender.Send(new ListOperatorsQuery(limit, cursor, availability), cancellationToken);

    [HttpPatch("{id}")]
    [Authorize(Policy = ApiKeyScopes.OperatorsWrite)]
    [Consumes("application/json")]
    [OpenApiOperation("updateOperator", "Update an operator",
        "Changes `name`, `role` (`agent` or `admin`), `active`, `availability` (`online`, `away`, `offline`) and/or `maxConversations` (1-100) of one operator of the current organization; a field that is absent or null stays as it is. `email` cannot be changed. An inactive operator can no longer be assigned, and routing gives conversations only to active `online` operators below their `maxConversations`; conversations already assigned keep their operator. Going `online`, becoming active again or a higher `maxConversations` lets waiting conversations be routed to the operator within 2 seconds. Setting the current values changes nothing (same `updatedAt`).")]
    [ProducesResponseType<OperatorResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ActionResult<OperatorResponse>> Update(
        Guid id,
        [FromBody] UpdateOperatorRequest request,
        CancellationToken cancellationToken) =>
        await sender.Send(request.ToCommand(new OperatorId(id)), cancellationToken);
}
