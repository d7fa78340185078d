using Convor.Api.Errors;
using Convor.Application.Common.Models;
using Convor.Application.Operators.CreateOperator;
using Convor.Application.Operators.GetOperator;
using Convor.Domain.ApiKeys;
using Convor.Domain.Common;
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
}
