using Microsoft.AspNetCore.Diagnostics;

namespace Convor.Api.Errors;

/// <summary>
/// Gives the envelope to answers the framework produces without a body: unknown routes
/// (404), wrong methods (405), unsupported media types (415), and the like.
/// </summary>
internal static class EnvelopeStatusCodePages
{
    public static Task WriteAsync(StatusCodeContext context) =>
        ErrorResponses.WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode);
}
