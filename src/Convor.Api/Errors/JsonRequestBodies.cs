using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Convor.Api.Errors;

/// <summary>
/// The API reads JSON only: a request to an API route that carries a body of any other type
/// (or of no declared type) is 415 <c>unsupported_media_type</c>, also on routes that ignore
/// their body, so nothing a client sends is silently dropped. An empty body is not a body:
/// a bare POST works with or without a Content-Type. Runs after authorization (401 and 403
/// come first) and only for a matched route (an unknown route stays 404).
/// </summary>
internal static class JsonRequestBodies
{
    public static IApplicationBuilder UseJsonRequestBodies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (HasBody(context) && !IsJson(context.Request.ContentType) && IsApiRoute(context))
        {
            var (code, message) = ErrorResponses.ForStatus(StatusCodes.Status415UnsupportedMediaType);
            await ErrorResponses.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, code, message);
            return;
        }
        await next(context);
    });

    internal static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)) return false;
        return mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.Type.Equals("application", StringComparison.OrdinalIgnoreCase)
                && mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
    }

    private static bool HasBody(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength is { } length) return length > 0;
        return context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.Headers.TransferEncoding.Count > 0;
    }

    private static bool IsApiRoute(HttpContext context)
    {
        var methods = context.GetEndpoint()?.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        return methods is not null && methods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase)
            && context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
    }
}
