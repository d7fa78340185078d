using Microsoft.AspNetCore.Diagnostics;

namespace Convor.Api.Errors;

/// <summary>
/// Gives the envelope to answers the framework produces without a body: unknown routes
/// (404), wrong methods (405), unsupported media types (415), and the like.
/// </summary>
internal static class EnvelopeStatusCodePages
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var status = context.HttpContext.Response.StatusCode;
        var (code, message) = ErrorResponses.ForStatus(status);
        return ErrorResponses.WriteAsync(context.HttpContext, status, code, message);
    }
}

/// <summary>
/// 413 before any body is read when Content-Length already says too much; Kestrel's own
/// limit (<see cref="ConvorApi.MaxRequestBodyBytes"/>) catches chunked bodies while reading.
/// </summary>
internal static class RequestBodyLimit
{
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentLength > ConvorApi.MaxRequestBodyBytes)
        {
            var (code, message) = ErrorResponses.ForStatus(StatusCodes.Status413PayloadTooLarge);
            await ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, code, message);
            return;
        }
        await next(context);
    });
}
