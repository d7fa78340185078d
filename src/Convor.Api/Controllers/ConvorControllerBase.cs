using Convor.Api.Errors;
using Convor.Application.Common.Models;
using Microsoft.AspNetCore.Mvc;

namespace Convor.Api.Controllers;

/// <summary>
/// What every Convor controller shares: JSON in and out, the error statuses any
/// authenticated operation can answer, and the ETag of single-conversation answers.
/// Controllers only build a message and send it; rules live in the handlers and the domain.
/// </summary>
[ApiController]
[Produces("application/json")]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status401Unauthorized)]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status403Forbidden)]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status429TooManyRequests)]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status500InternalServerError)]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status503ServiceUnavailable)]
public abstract class ConvorControllerBase : ControllerBase
{
    /// <summary>200 with the conversation and <c>ETag: "&lt;version&gt;"</c>.</summary>
    protected ActionResult<ConversationResponse> ConversationOk(ConversationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Response.Headers.ETag = EntityTag.Of(result.Version);
        return Ok(result.Conversation);
    }
}
