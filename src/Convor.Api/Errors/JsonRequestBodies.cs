using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Convor.Api.Errors;

/// <summary>
/// The API reads JSON only: a request to an API route that carries a body of any other type
/// (or of no declared type, or JSON in a charset other than UTF-8) is 415 <c>unsupported_media_type</c>, also on routes that ignore
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
            await ErrorResponses.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType);
            return;
        }
        await next(context);
    });

    /// <summary>
    /// <c>application/json</c> or <c>application/*+json</c>, in UTF-8: JSON exchanged between
    /// systems is UTF-8 (RFC 8259), and the framework's UTF-16 reader fails with a 500 on a
    /// body with an odd number of bytes, so any other declared charset is 415 as well.
    /// </summary>
    internal static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)) return false;
        var json = mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.Type.Equals("application", StringComparison.OrdinalIgnoreCase)
                && mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
        var charset = mediaType.Charset;
        return json && (!charset.HasValue || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
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
